#!/usr/bin/env python3
"""Extract hrpolicy's translatable texts from SQL and PL/pgSQL sources.

xgettext reads no SQL: this finds every hrpolicy.gettext('...') (one SQL
string literal, '' for a quote) in the files named and writes them as a
PO template on stdout.  Their placeholders are format()'s (%s, %L, %I,
%1$s), not C's, so make test compares them itself (test/checks/translations.sh).
"""
import re
import sys

CALL = re.compile(r"hrpolicy\.gettext\(\s*'((?:[^']|'')*)'\s*\)")


def po_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def main(paths):
    found = {}
    for path in paths:
        with open(path, encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                for match in CALL.finditer(line):
                    found.setdefault(match.group(1).replace("''", "'"), []).append(f'{path}:{number}')
    print('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    for msgid in sorted(found):
        print(f'#: {" ".join(found[msgid])}')
        print(f'msgid {po_string(msgid)}\nmsgstr ""\n')


if __name__ == '__main__':
    main(sys.argv[1:])
