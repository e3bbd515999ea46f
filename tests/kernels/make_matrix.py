#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write docs/compat-matrix.md from the runs collect.sh recorded.

usage: make_matrix.py LABEL=LOG[,KERNEL-CONFIG]... > docs/compat-matrix.md

Only facts that do not change between runs on the same kernels go in
(no timings, no throughput), so a regenerated matrix diffs clean.
"""
import json
import re
import sys

from ut_results import BENCHES, BENCH_VARIANTS, parse_run_arg

REGEN = 'tests/kernels/run-matrix.sh --matrix docs/compat-matrix.md'


def debian_version(run):
    """'#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (...)' -> '6.1.192-2'."""
    m = re.search(r'Debian (\S+)', run.meta.get('kernel_build', ''))
    return m.group(1) if m else run.release


def row(cells):
    return '| ' + ' | '.join(str(c) for c in cells) + ' |'


def table(head, rows):
    out = [row(head), row(['---'] * len(head))]
    out += [row(r) for r in rows]
    return out


def by_key(items, key):
    return {i[key]: i for i in items}


def op_cell(o):
    return 'yes' if o and o['supported'] else '-'


def setup_cell(s):
    if not s:
        return '?'
    if not s['accepted']:
        return 'no (%s)' % s['errno']
    if s['liburing_ok']:
        return 'yes'
    return 'yes; liburing 2.3: %s' % s['liburing_errno']


def behaviour_cell(b):
    if not b:
        return '?'
    if b['status'] == 'ok':
        if b.get('zc_copied') is True:
            return 'ok (copied)'
        return 'ok'
    return '%s (%s)' % (b['status'], b['errno'] or 'no errno')


def bench_cell(run, name):
    if 'bench-unavailable' in run.sections:
        return 'not built'
    res = run.bench(name)
    if res is None:
        return 'not run'
    rc, out, err = res
    if rc == 0:
        try:
            json.loads(out)
            return 'works'
        except ValueError:
            return 'exit 0, no JSON'
    msg = err.strip().splitlines()[-1] if err.strip() else ''
    msg = msg.replace('uring-tool: error: ', '').replace('|', '/')
    if rc == 3:
        return 'unsupported: %s' % msg
    return 'exit %s: %s' % (rc, msg)


def main(argv):
    runs = [parse_run_arg(a) for a in argv[1:]]
    if not runs:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    for r in runs:
        if r.probe is None:
            print('make_matrix: %s: %s' % (r.label, r.probe_error),
                  file=sys.stderr)
            return 1
    heads = ['%s' % '.'.join(map(str, r.kernel)) if r.label != 'host'
             else 'host %s' % '.'.join(map(str, r.kernel)) for r in runs]
    first = runs[-1].probe      # the newest kernel names the most items
    out = [
        '# io_uring compatibility matrix',
        '',
        'What `uring-tool probe --json` and short `uring-tool bench` runs',
        'found on each kernel: Debian 12\'s cloud kernels booted under qemu',
        '(TCG) and the kernel of the machine that generated this file. The',
        '"table" column is the first release the tool\'s own version table',
        '(core/abi.c) dates the item to; the kernel checks in',
        '`tests/kernels/check_results.py` assert that the two agree.',
        '',
        'Generated; do not edit. Regenerate with:',
        '',
        '    ' + REGEN,
        '',
    ]
    out += table(['', 'kernel', 'release', 'how it ran'], [
        [h, r.release, debian_version(r),
         'host, directly' if r.label == 'host' else 'qemu -accel tcg']
        for h, r in zip(heads, runs)])
    out += ['', 'Liburing linked into the tool: %s (static build).' %
            first['environment']['liburing_runtime'], '']

    out += ['## Opcodes (IORING_OP_*)', '',
            '"yes": IORING_REGISTER_PROBE reports it supported.', '']
    ops = [by_key(r.probe['ops'], 'number') for r in runs]
    rows = [[o['number'], o['name'], o['since']] +
            [op_cell(t.get(o['number'])) for t in ops]
            for o in first['ops']]
    out += table(['#', 'op', 'table'] + heads, rows)
    out += ['', 'Last opcode reported: ' + ', '.join(
        '%s: %d' % (h, r.probe['last_op']) for h, r in zip(heads, runs)), '']

    out += ['## Setup flags (IORING_SETUP_*)', '',
            'io_uring_setup() tried with each flag and the partners it needs.',
            '"liburing 2.3: E..." means the kernel accepts the flag but the',
            'liburing the tool links cannot run a ring with it.', '']
    setups = [by_key(r.probe['setup_flags'], 'bit') for r in runs]
    rows = [[s['bit'], s['name'], s['since'], s['requires'] or ''] +
            [setup_cell(t.get(s['bit'])) for t in setups]
            for s in first['setup_flags']]
    out += table(['bit', 'flag', 'table', 'needs'] + heads, rows)
    out += ['']

    out += ['## Features (IORING_FEAT_*)', '']
    feats = [by_key(r.probe['features'], 'bit') for r in runs]
    rows = [[f['bit'], f['name'], f['since']] +
            ['yes' if t.get(f['bit'], {}).get('present') else '-'
             for t in feats] for f in first['features']]
    out += table(['bit', 'feature', 'table'] + heads, rows)
    out += ['']
    out += table(['query', 'table'] + heads, [
        ['ringless IORING_REGISTER_QUERY', '6.18'] +
        ['answers' if r.probe['query']['available']
                else 'no (%s)' % r.probe['query']['errno'] for r in runs]])
    out += ['']

    out += ['## Behaviours', '',
            'Real operations on loopback sockets, each bounded in time',
            '(`uring-tool probe` runs them; "copied": the zero-copy send',
            'fell back to copying, as it always does on loopback).', '']
    names = sorted(first['behaviour'])
    rows = [[n] + [behaviour_cell(r.probe['behaviour'].get(n)) for r in runs]
            for n in names]
    out += table(['behaviour'] + heads, rows)
    out += ['']

    out += ['## Benchmarks', '',
            'A short run of each (`uring-tool bench NAME %s --json`):' %
            runs[-1].meta.get('bench_args', ''),
            '"works", or the "unsupported here" message (exit 3).',
            '`recv-bundle` is `bench recv --recv-op bundle`.', '']
    rows = [[b] + [bench_cell(r, b) for r in runs]
            for b in BENCHES + tuple(BENCH_VARIANTS)]
    out += table(['benchmark'] + heads, rows)
    print('\n'.join(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
