#!/usr/bin/env python3
"""Sort the import block of Java files into Spring's groups: java, javax, others, org.springframework, static."""
import re
import sys


def group(line):
    name = line[len('import '):].strip()
    if name.startswith('static '):
        return 4
    if name.startswith('java.'):
        return 0
    if name.startswith('javax.') or name.startswith('jakarta.'):
        return 1 if name.startswith('javax.') else 2
    if name.startswith('org.springframework.'):
        return 3
    return 2


def sort_file(path):
    text = open(path).read()
    lines = text.split('\n')
    idx = [i for i, l in enumerate(lines) if l.startswith('import ')]
    if not idx:
        return
    start, end = idx[0], idx[-1]
    block = [l for l in lines[start:end + 1] if l.startswith('import ')]
    groups = {}
    for l in sorted(set(block), key=lambda l: l.rstrip(';')):
        groups.setdefault(group(l), []).append(l)
    out = []
    for g in sorted(groups):
        if out:
            out.append('')
        out.extend(groups[g])
    lines[start:end + 1] = out
    open(path, 'w').write('\n'.join(lines))


for p in sys.argv[1:]:
    sort_file(p)
