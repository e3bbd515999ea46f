#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Assert that each kernel's probe agrees with the tool's own version table.

usage: check_results.py LABEL=LOG[,KERNEL-CONFIG]...

For every run (a kernel booted under qemu, or the host):
- ops and setup flags the table dates after the kernel are unsupported, those
  dated at or before it are supported, except where EXCEPTIONS says why;
- last_op is the newest op the table dates at or before the kernel, and the
  feature bits are exactly those the table dates at or before it;
- the ringless query answers from 6.18 on and agrees with the probe;
- every behaviour probe finished within its bound, and it is ok exactly when
  what it relies on is there;
- each benchmark ran, or exited 3 naming something this kernel lacks.
Exit status: 0 all agree, 1 a disagreement (printed as FAIL lines).
"""
import json
import re
import sys

from ut_results import BENCHES, BENCH_VARIANTS, kv, kv_str, parse_run_arg

# Ops the kernel compiles to "not supported" (io_eopnotsupp_prep in
# io_uring/opdef.c) when an option is off. These are the only ops a kernel
# at or after their date may report unsupported, and only when its config
# (the package's boot/config-*, or /proc/config.gz) shows the option off.
NET_OPS = ('SENDMSG', 'RECVMSG', 'ACCEPT', 'CONNECT', 'SEND', 'RECV',
           'SHUTDOWN', 'SOCKET', 'SEND_ZC', 'SENDMSG_ZC', 'RECV_ZC', 'BIND',
           'LISTEN')
OP_CONFIG = dict([(op, 'CONFIG_NET') for op in NET_OPS] + [
    ('EPOLL_CTL', 'CONFIG_EPOLL'), ('EPOLL_WAIT', 'CONFIG_EPOLL'),
    ('FUTEX_WAIT', 'CONFIG_FUTEX'), ('FUTEX_WAKE', 'CONFIG_FUTEX'),
    ('FUTEX_WAITV', 'CONFIG_FUTEX'),
])

# Setup flags the kernel accepts but liburing 2.3 (linked into the tool)
# cannot drive, with the errno the probe reports for it:
# - NO_MMAP, REGISTERED_FD_ONLY: liburing 2.3 never passes ring memory of its
#   own (sq_off/cq_off.user_addr), so the kernel answers EFAULT;
# - NO_SQARRAY: liburing 2.3 writes an SQ index array the ring no longer
#   has; the probe sees completions that do not match (EPROTO).
LIBURING_23_LIMITS = {
    'NO_MMAP': 'EFAULT',
    'REGISTERED_FD_ONLY': 'EFAULT',
    'NO_SQARRAY': 'EPROTO',
}

QUERY_SINCE = (6, 18)   # IORING_REGISTER_QUERY

# What each behaviour probe relies on: ok exactly when this is there.
BEHAVIOUR_NEEDS = {
    'accept_multishot': ('kernel', (5, 19)),
    'recv_multishot': ('kernel', (6, 0)),
    'recv_bundle': ('feature', 'RECVSEND_BUNDLE'),
    'send_zc': ('op', 'SEND_ZC'),
    'socket': ('op', 'SOCKET'),
    'defer_taskrun': ('setup', 'DEFER_TASKRUN'),
}
# run_isolated() kills a child after timeout + 500 ms; allow fork/exit time
BEHAVIOUR_SLACK_NS = 1000 * 1000 * 1000
EXIT_UNAVAILABLE = 3


def names(name, text):
    """Whether text names NAME, bare or with its IORING_ prefix."""
    return re.search(r'(?:^|[^A-Za-z0-9_])(?:IORING_(?:OP|SETUP|FEAT)_)?%s'
                     r'(?![A-Za-z0-9_])' % re.escape(name), text) is not None


def seconds(text):
    m = re.fullmatch(r'(\d+)(ms|s)?', text.strip())
    if not m:
        return 1.0
    return int(m.group(1)) / (1000.0 if m.group(2) == 'ms' else 1.0)


def guest_oops(path):
    """The guest kernel's first Oops or panic line, if it printed one."""
    try:
        with open(path, errors='replace') as f:
            for line in f:
                if 'Oops:' in line or 'Kernel panic' in line:
                    return ': the guest kernel said %r' % line.strip()
    except OSError:
        pass
    return ''


class Checker:
    def __init__(self, run):
        self.run = run
        self.fails = []
        self.notes = []

    def fail(self, msg):
        self.fails.append(msg)

    def note(self, msg):
        self.notes.append(msg)

    def config_off(self, sym):
        conf = self.run.config
        return conf is not None and conf.get(sym) not in ('y', 'm')

    def check(self):
        r = self.run
        if not r.done:
            self.fail('the run did not reach its end marker (%s)%s' % (
                r.log_path, guest_oops(r.log_path)))
        if r.probe is None:
            self.fail(r.probe_error or 'no probe output')
            return
        rc = r.sections['probe'][0]
        if rc != 0:
            self.fail('probe exited %s: %s' % (
                rc, r.sections.get('probe.stderr', (0, ''))[1].strip()))
        if not r.probe.get('available'):
            self.fail('io_uring unavailable: %s' % r.probe.get('summary'))
            return
        self.k = r.kernel
        self.check_ops()
        self.check_setup()
        self.check_features()
        self.check_query()
        self.check_behaviours()
        self.check_benches()
        self.check_run_without_python()

    def check_run_without_python(self):
        """The static build leaves Python out: `run` says so, exit 3."""
        if 'run-nopython' not in self.run.sections:
            self.fail('run without Python was not tried')
            return
        rc = self.run.sections['run-nopython'][0]
        err = self.run.sections.get('run-nopython.stderr', (0, ''))[1]
        if rc != EXIT_UNAVAILABLE or 'not built in' not in err:
            self.fail('run in a build without Python exited %s, said %r '
                      '(want 3 and "not built in")' % (rc, err.strip()))

    def check_ops(self):
        p, k = self.run.probe, self.k
        dated = [o['number'] for o in p['ops'] if kv(o['since']) <= k]
        if p['last_op'] != max(dated):
            self.fail('last_op is %d, the table says %d for %s' % (
                p['last_op'], max(dated), kv_str(k)))
        for o in p['ops']:
            since = kv(o['since'])
            name = o['name']
            if since > k and o['supported']:
                self.fail('op %s (table: %s) is supported on %s' % (
                    name, o['since'], kv_str(k)))
            if not o['supported'] and o.get('why_unsupported') != (
                    'kernel_too_old' if since > k else 'not_built_in'):
                self.fail('op %s unsupported on %s, but the probe says why: %s'
                          % (name, kv_str(k), o.get('why_unsupported')))
            if since <= k and not o['supported']:
                sym = OP_CONFIG.get(name)
                if sym and self.config_off(sym):
                    self.note('op %s unsupported: %s is off' % (name, sym))
                else:
                    self.fail('op %s (table: %s) is unsupported on %s%s' % (
                        name, o['since'], kv_str(k),
                        ' and %s is on' % sym if sym else ''))

    def check_setup(self):
        for s in self.run.probe['setup_flags']:
            name, since = s['name'], kv(s['since'])
            if since > self.k and s['accepted']:
                self.fail('setup %s (table: %s) accepted on %s' % (
                    name, s['since'], kv_str(self.k)))
            elif since <= self.k and not s['accepted']:
                self.fail('setup %s (table: %s, needs %s) refused on %s: %s'
                          % (name, s['since'], s['requires'] or 'nothing',
                             kv_str(self.k), s['errno']))
            if not s['accepted'] or s['liburing_ok']:
                continue
            want = LIBURING_23_LIMITS.get(name)
            if want is None or s['liburing_errno'] != want:
                self.fail('setup %s accepted but liburing cannot drive it: '
                          '%s' % (name, s['liburing_errno']))

    def check_features(self):
        for f in self.run.probe['features']:
            want = kv(f['since']) <= self.k
            if f['present'] != want:
                self.fail('feature %s (table: %s) %s on %s' % (
                    f['name'], f['since'],
                    'present' if f['present'] else 'absent', kv_str(self.k)))

    def check_query(self):
        q = self.run.probe['query']
        want = self.k >= QUERY_SINCE
        if q['available'] != want:
            self.fail('ringless query %s on %s (errno %s)' % (
                'answers' if q['available'] else 'does not answer',
                kv_str(self.k), q['errno']))
        if not q['available']:
            return
        if q['nr_request_opcodes'] != self.run.probe['last_op'] + 1:
            self.fail('query knows %d ops, the probe says last_op %d' % (
                q['nr_request_opcodes'], self.run.probe['last_op']))
        present = [f['name'] for f in self.run.probe['features']
                   if f['present']]
        if sorted(q['features']) != sorted(present):
            self.fail('query features %s differ from ring features %s' % (
                q['features'], present))

    def have(self, kind, what):
        p = self.run.probe
        if kind == 'kernel':
            return self.k >= what
        if kind == 'op':
            return any(o['supported'] for o in p['ops'] if o['name'] == what)
        if kind == 'feature':
            return any(f['present'] for f in p['features']
                       if f['name'] == what)
        return any(s['accepted'] for s in p['setup_flags']
                   if s['name'] == what)

    def check_behaviours(self):
        beh = self.run.probe['behaviour']
        bound_ns = int(seconds(self.run.meta.get('behaviour_timeout', '1s'))
                       * 1e9) + BEHAVIOUR_SLACK_NS
        for name, (kind, what) in sorted(BEHAVIOUR_NEEDS.items()):
            if name not in beh:
                self.fail('behaviour %s missing from the probe' % name)
        for name, b in sorted(beh.items()):
            st = b['status']
            if st in ('timeout', 'failed', 'skipped'):
                self.fail('behaviour %s: %s (%s)' % (name, st, b['detail']))
                continue
            if b['duration_ns'] > bound_ns:
                self.fail('behaviour %s took %.2f s, bound %.2f s' % (
                    name, b['duration_ns'] / 1e9, bound_ns / 1e9))
            need = BEHAVIOUR_NEEDS.get(name)
            if need is None:
                self.note('behaviour %s: no expectation recorded' % name)
                continue
            want = 'ok' if self.have(*need) else 'unsupported'
            if st != want:
                self.fail('behaviour %s is %s, expected %s (needs %s %s): %s'
                          % (name, st, want, need[0],
                             kv_str(need[1]) if need[0] == 'kernel'
                             else need[1], b['detail']))

    def missing_names(self):
        """Names of what this kernel lacks, as the tool's tables spell them."""
        p = self.run.probe
        names = [o['name'] for o in p['ops'] if not o['supported']]
        names += [s['name'] for s in p['setup_flags'] if not s['accepted']]
        names += [f['name'] for f in p['features'] if not f['present']]
        return names

    def check_benches(self):
        r = self.run
        if 'bench-unavailable' in r.sections:
            text = r.sections['bench-unavailable'][1].strip()
            if 'not built yet' in text:
                self.note('benchmarks not built yet: %s' % text)
            else:
                self.fail('bench --help failed: %s' % text)
            return
        for name in BENCHES + tuple(BENCH_VARIANTS):
            res = r.bench(name)
            if res is None:
                self.fail('bench %s did not run' % name)
                continue
            rc, out, err = res
            if rc == 0:
                try:
                    json.loads(out)
                except ValueError as e:
                    self.fail('bench %s: output is no JSON: %s' % (name, e))
            elif rc == EXIT_UNAVAILABLE:
                named = [n for n in self.missing_names() if names(n, err)]
                if not named:
                    self.fail('bench %s exited 3 without naming anything '
                              'this kernel lacks: %s' % (name, err.strip()))
                else:
                    self.note('bench %s unsupported here (%s)' % (
                        name, ', '.join(named)))
            else:
                self.fail('bench %s exited %s: %s' % (
                    name, rc, err.strip()[-300:]))
            need = BENCH_VARIANTS.get(name)
            if need and rc in (0, EXIT_UNAVAILABLE) and \
                    (rc == 0) != self.have(*need):
                self.fail('bench %s %s though %s %s is %s' % (
                    name, 'worked' if rc == 0 else 'exited 3', need[0],
                    need[1], 'there' if self.have(*need) else 'missing'))


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    bad = 0
    for arg in argv[1:]:
        run = parse_run_arg(arg)
        c = Checker(run)
        c.check()
        head = '%s (%s)' % (run.label, run.release)
        for n in c.notes:
            print('note: %s: %s' % (head, n))
        for f in c.fails:
            print('FAIL: %s: %s' % (head, f))
        if not c.fails:
            print('ok: %s: probe agrees with the version table, '
                  'benchmarks as expected' % head)
        bad += bool(c.fails)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
