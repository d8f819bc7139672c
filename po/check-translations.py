#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every translation compiles and is complete against the current sources.

Usage: check-translations.py SOURCE_ROOT DOMAIN

For each language in po/LINGUAS:
  - po/LANG.po exists and `msgfmt --check --statistics` accepts it;
  - its header says Language: LANG, charset=UTF-8 and has a Plural-Forms line;
  - merged with a template extracted from the files in po/POTFILES.in right now (xgettext
    with the arguments of meson's 'glib' preset, as the DOMAIN-pot target runs it), it has
    no untranslated and no fuzzy messages.

Everything is written to a temporary directory; the source tree is never modified.
"""

import os
import re
import subprocess
import sys
import tempfile

# meson's i18n 'glib' preset (mesonbuild/modules/i18n.py), plus what meson always adds
XGETTEXT_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '-k_',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

STATISTICS = re.compile(r'(\d+) (translated|fuzzy|untranslated)')


def run(cmd, **kwargs):
    env = dict(os.environ, LC_ALL='C', LANGUAGE='C')
    return subprocess.run(cmd, capture_output=True, text=True, env=env, **kwargs)


def read_linguas(po_dir):
    langs = []
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            langs += line.split()
    return langs


def statistics(text):
    counts = {'translated': 0, 'fuzzy': 0, 'untranslated': 0}
    for number, kind in STATISTICS.findall(text):
        counts[kind] = int(number)
    return counts


def message_ids(po_text):
    """The msgids of a .po text, continuation lines joined (escapes left as they are)."""
    ids = []
    current = None
    for line in po_text.splitlines():
        if line.startswith('msgid '):
            current = line[len('msgid '):].strip()[1:-1]
            ids.append(current)
        elif line.startswith('"') and current is not None:
            ids[-1] += line.strip()[1:-1]
        else:
            current = None
    return ids


def check_header(name, lang, po_file, errors):
    with open(po_file, encoding='utf-8') as f:
        text = f.read()
    # the header is the first entry, with an empty msgid
    header = text.split('\n\n', 1)[0]
    if not re.search(r'"Language: ' + re.escape(lang) + r'\\n"', header):
        errors.append(f'{name}: the header does not say "Language: {lang}"')
    if not re.search(r'"Content-Type: text/plain; charset=UTF-8\\n"', header):
        errors.append(f'{name}: the header does not say charset=UTF-8')
    if not re.search(r'"Plural-Forms: nplurals=\d+; plural=[^"]+;\\n"', header):
        errors.append(f'{name}: the header has no valid Plural-Forms')


def check_language(name, lang, po_file, pot, tmp, errors):
    """Check one translation against a fresh template; also used by the help's check.

    NAME is how messages call the file (po/es.po). Appends what is wrong to ERRORS and
    returns the translation merged with POT (a file in TMP), or None when it cannot be
    merged.
    """
    if not os.path.isfile(po_file):
        errors.append(f'{name} does not exist but LINGUAS lists {lang}')
        return None
    compiled = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po_file])
    if compiled.returncode != 0:
        errors.append(f'{name} does not compile:\n{compiled.stderr.strip()}')
        return None
    check_header(name, lang, po_file, errors)

    merged = os.path.join(tmp, lang + '.po')
    result = run(['msgmerge', '--quiet', '--previous', '-o', merged, po_file, pot])
    if result.returncode != 0:
        errors.append(f'msgmerge failed on {name}:\n{result.stderr.strip()}')
        return None
    result = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged])
    counts = statistics(result.stderr)
    print(f'# {lang}: {counts["translated"]} translated, {counts["fuzzy"]} fuzzy, '
          f'{counts["untranslated"]} untranslated')
    if result.returncode != 0:
        errors.append(f'{name} does not compile once merged with the '
                      f'sources:\n{result.stderr.strip()}')
        return None
    if counts['fuzzy'] or counts['untranslated']:
        missing = run(['msgattrib', '--only-fuzzy', '--no-obsolete', merged]).stdout
        missing += run(['msgattrib', '--untranslated', '--no-obsolete',
                        '--no-fuzzy', merged]).stdout
        ids = [i for i in message_ids(missing) if i]
        shown = '\n  '.join(ids[:20])
        errors.append(f'{name}: {counts["untranslated"]} untranslated and '
                      f'{counts["fuzzy"]} fuzzy messages against the current '
                      f'sources (update it, see docs/development.md):\n  {shown}')
    return merged


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    domain = argv[2]
    po_dir = os.path.join(root, 'po')
    errors = []

    with tempfile.TemporaryDirectory(prefix='rd-po-check-') as tmp:
        pot = os.path.join(tmp, domain + '.pot')
        result = run(['xgettext', '--package-name=' + domain, '-f',
                      os.path.join(po_dir, 'POTFILES.in'), '-D', root, '-o', pot]
                     + XGETTEXT_ARGS)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            print('xgettext failed on po/POTFILES.in', file=sys.stderr)
            return 1
        template = run(['msgfmt', '--statistics', '-o', os.devnull, pot])
        total = statistics(template.stderr)['untranslated']
        print(f'# {total} messages in the template extracted from po/POTFILES.in')
        if total == 0:
            errors.append('the extracted template is empty: is po/POTFILES.in right?')

        langs = read_linguas(po_dir)
        if not langs:
            errors.append('po/LINGUAS lists no language')
        for lang in langs:
            check_language(f'po/{lang}.po', lang, os.path.join(po_dir, lang + '.po'), pot, tmp,
                           errors)

    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
