#!/usr/bin/env python3
"""po_check.py TEMPLATE PO: every text of the template is translated in PO,
not fuzzy, with the placeholders of its msgid.

The texts missing are printed as they read in the template, so that
whoever adds a message sees which.  msgfmt --check compares C format strings (the "c-format" entries); the
texts of the SQL sources are format() templates (%s, %L, %I, %1$s), which
it cannot check.  For every translated entry that is not c-format, this
compares the multiset of placeholders (%% aside) of msgid and msgstr;
positional ones (%2$s) may reorder them.  Prints each mismatch; exits 1
if there is one.
"""
import ast
import re
import sys

SPEC = re.compile(r'%(?:(\d+)\$)?-?\d*([sIL%])')


def entries(path):
    entry = {'flags': ''}
    key = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                if 'msgid' in entry:
                    yield entry
                entry, key = {'flags': ''}, None
            elif line.startswith('#,'):
                entry['flags'] += line
            elif line.startswith('#'):
                continue
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(' ')
                entry[key] = ast.literal_eval(value)
    if 'msgid' in entry:
        yield entry


def placeholders(text):
    found = []
    for n, (position, kind) in enumerate((m.group(1), m.group(2)) for m in SPEC.finditer(text)):
        if kind != '%':
            found.append(kind)
    return sorted(found)


def key(e):
    return (e.get('msgctxt'), e['msgid'])


def main(template, path):
    bad = 0
    translated = {}
    for e in entries(path):
        if e['msgid'] and e.get('msgstr') and 'fuzzy' not in e['flags']:
            translated[key(e)] = e
    for e in entries(template):
        if not e['msgid']:
            continue
        if key(e) not in translated:
            context = f' (context {e["msgctxt"]})' if e.get('msgctxt') else ''
            print(f'{path}: no translation of {e["msgid"]!r}{context}')
            bad += 1
            continue
        t = translated[key(e)]
        if 'c-format' in e['flags'].replace('no-c-format', ''):
            continue            # msgfmt --check compares those
        if placeholders(e['msgid']) != placeholders(t['msgstr']):
            print(f'{path}: the placeholders of {e["msgid"]!r} differ in {t["msgstr"]!r}')
            bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
