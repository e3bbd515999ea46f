# SPDX-License-Identifier: MIT
"""Read what collect.sh printed (a serial log or the host's stdout).

A run is a dict of sections: name -> (rc, text), plus the probe document
and the kernel it ran on. Shared by check_results.py and make_matrix.py.
"""
import json
import re

BEGIN = re.compile(r'@@UT begin (\S+)@@\n')
END = '@@UT end {} rc=(\\d+)@@'
BENCHES = ('send', 'recv', 'sendzc', 'sendmsg_zc')
# collect.sh's extra runs: section name -> what must be there for it to work
BENCH_VARIANTS = {'recv-bundle': ('feature', 'RECVSEND_BUNDLE')}


def kv(text):
    """'6.12' or '6.12.117+deb12-cloud-amd64' -> (6, 12)."""
    m = re.match(r'(\d+)\.(\d+)', text)
    if not m:
        raise ValueError('not a kernel version: %r' % text)
    return int(m.group(1)), int(m.group(2))


def kv_str(k):
    return '%d.%d' % k


class Run:
    def __init__(self, label, log_path, config_path=None):
        self.label = label
        self.log_path = log_path
        self.sections = {}
        self.done = False
        self.probe = None
        self.probe_error = None
        self.meta = {}
        self.config = None      # {CONFIG_X: 'y'/'m'/...} when known
        with open(log_path, 'rb') as f:
            text = f.read().decode('utf-8', 'replace').replace('\r', '')
        self._parse(text)
        if config_path:
            self.config = read_config(config_path)

    def _parse(self, text):
        pos = 0
        while True:
            m = BEGIN.search(text, pos)
            if not m:
                break
            name = m.group(1)
            end = re.compile(END.format(re.escape(name))).search(text, m.end())
            if not end:
                self.sections[name] = (None, text[m.end():])
                break
            self.sections[name] = (int(end.group(1)),
                                   text[m.end():end.start()])
            pos = end.end()
        self.done = '@@UT done@@' in text
        if 'meta' in self.sections:
            for line in self.sections['meta'][1].splitlines():
                k, _, v = line.partition('=')
                self.meta[k] = v
        rc, body = self.sections.get('probe', (None, ''))
        try:
            self.probe = json.loads(body)
        except ValueError as e:
            self.probe_error = 'probe output is no JSON (rc=%s): %s' % (rc, e)

    @property
    def kernel(self):
        """(major, minor) the probe saw, else from uname in meta."""
        if self.probe:
            return kv(self.probe['environment']['kernel_version'])
        return kv(self.meta.get('kernel_release', '0.0'))

    @property
    def release(self):
        return self.meta.get('kernel_release', '?')

    def bench(self, name):
        """(rc, stdout, stderr) of bench NAME, or None if it did not run."""
        key = 'bench-' + name
        if key not in self.sections:
            return None
        rc, out = self.sections[key]
        err = self.sections.get(key + '.stderr', (rc, ''))[1]
        return rc, out, err


def read_config(path):
    opener = open
    if path.endswith('.gz'):
        import gzip
        opener = gzip.open
    conf = {}
    with opener(path, 'rt') as f:
        for line in f:
            m = re.match(r'(CONFIG_\w+)=(.*)', line)
            if m:
                conf[m.group(1)] = m.group(2)
    return conf


def parse_run_arg(arg):
    """'LABEL=LOG[,CONFIG]' -> Run."""
    label, _, rest = arg.partition('=')
    log, _, config = rest.partition(',')
    return Run(label, log, config or None)
