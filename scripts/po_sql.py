#!/usr/bin/env python3
"""Extract hrpolicy's translatable texts from SQL and PL/pgSQL sources.

xgettext reads no SQL: this finds every hrpolicy.gettext('...') (one SQL
string literal, '' for a quote) in the files named and writes them as a
PO template on stdout.  Inside a query that is itself a format() template
(format($q$ ... $q$, ...): the generated report queries), the text's %%
is format()'s escape of %, and the message is the text once formatted.  Their placeholders are format()'s (%s, %L, %I,
%1$s), not C's, so make test compares them itself (test/checks/translations.sh).
"""
import re
import sys

CALL = re.compile(r"hrpolicy\.gettext\(\s*'((?:[^']|'')*)'\s*\)")
# $q$ opens or closes a query; group 1 is set when format( opens it
TEMPLATE_QUOTE = re.compile(r"(format\(\s*)?\$q\$")


def po_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def main(paths):
    found = {}
    for path in paths:
        in_template = False
        with open(path, encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                for match in CALL.finditer(line):
                    text = match.group(1).replace("''", "'")
                    if in_template:
                        text = text.replace('%%', '%')
                    found.setdefault(text, []).append(f'{path}:{number}')
                for quote in TEMPLATE_QUOTE.finditer(line):
                    in_template = not in_template and quote.group(1) is not None
    print('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    for msgid in sorted(found):
        print(f'#: {" ".join(found[msgid])}')
        print(f'msgid {po_string(msgid)}\nmsgstr ""\n')


if __name__ == '__main__':
    main(sys.argv[1:])
