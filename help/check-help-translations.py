#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every translation of the help is complete and builds valid pages.

Usage: check-help-translations.py HELP_DIR PO_DIR YELP_CHECK FILE...

HELP_DIR is help/ (with C/, LINGUAS and LANG/LANG.po), PO_DIR is po/ (the translations of
the client), YELP_CHECK the yelp-check program, and FILE... the help sources in C/ (the
pages and legal.xml, as help/meson.build gives them to gnome.yelp()).

For each language in help/LINGUAS:
  - the checks of po/check-translations.py, against a template extracted from the C pages
    right now with itstool: help/LANG/LANG.po exists, compiles, has a right header, and
    has no untranslated and no fuzzy messages;
  - every translated message keeps the markup of the English one (the same elements with the
    same attributes: <gui>, <link xref>, <key>, <code>, ...);
  - every <gui> that names a label of the client is translated as po/LANG.po translates
    that label (mnemonic underscores aside), so the help names the buttons as the
    translated client shows them;
  - `itstool -m` merges it into the pages without a warning, and `yelp-check validate`
    accepts every translated page.

Everything is written to a temporary directory; the source tree is never modified.
"""

import collections
import gettext
import importlib.util
import os
import re
import sys
import tempfile

TAG = re.compile(r'<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*/?>')
ATTRIBUTE = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
GUI = re.compile(r'<gui(?:\s[^>]*)?>(.*?)</gui>', re.S)


def load_po_checks(po_dir):
    """po/check-translations.py, whose checks of one language serve the help too."""
    spec = importlib.util.spec_from_file_location(
        'check_translations', os.path.join(po_dir, 'check-translations.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def catalog(po, po_file, mo_file):
    """msgid -> msgstr of a .po file (contexts dropped), through a compiled .mo."""
    result = po.run(['msgfmt', '-o', mo_file, po_file])
    if result.returncode != 0:
        raise RuntimeError(f'msgfmt failed on {po_file}:\n{result.stderr.strip()}')
    with open(mo_file, 'rb') as f:
        messages = gettext.GNUTranslations(f)._catalog  # the parsed .mo, as a dict
    entries = []
    for msgid, msgstr in messages.items():
        if not isinstance(msgid, str) or msgid == '':
            continue  # plural forms (tuples) and the header
        entries.append((msgid.split('\x04', 1)[-1], msgstr))
    return entries


def tags(text):
    """The elements of a message as (name, sorted attributes), in a multiset."""
    return collections.Counter(
        (name, tuple(sorted(ATTRIBUTE.findall(attributes))))
        for name, attributes in TAG.findall(text))


def label(text):
    """A label as the user reads it: no mnemonic underscores, entities decoded."""
    text = re.sub(r'<[^>]*>', '', text)
    return text.replace('_', '').replace('&amp;', '&').strip()


def ui_labels(po_entries):
    """English label -> the set of its translations in the client, for full labels and
    for the first sentence of longer messages (the help names an error by that)."""
    labels = collections.defaultdict(set)
    first_sentences = collections.defaultdict(set)
    for msgid, msgstr in po_entries:
        if not msgstr:
            continue
        labels[label(msgid)].add(label(msgstr))
        if '. ' in msgid and '. ' in msgstr:
            first_sentences[label(msgid.split('. ', 1)[0])].add(
                label(msgstr.split('. ', 1)[0]))
    for key, values in first_sentences.items():
        if key not in labels:
            labels[key] = values
    return labels


def check_messages(lang, entries, labels, errors):
    for msgid, msgstr in entries:
        if tags(msgid) != tags(msgstr):
            errors.append(f'help/{lang}/{lang}.po: the markup of the translation differs '
                          f'from the English:\n  msgid:  {msgid}\n  msgstr: {msgstr}')
        translated_guis = {label(g) for g in GUI.findall(msgstr)}
        for gui in GUI.findall(msgid):
            expected = labels.get(label(gui))
            if expected and not expected & translated_guis:
                errors.append(f'help/{lang}/{lang}.po: <gui>{gui}</gui> must be translated '
                              f'as in po/{lang}.po ({" or ".join(sorted(expected))}):\n'
                              f'  msgstr: {msgstr}')


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    help_dir = os.path.abspath(argv[1])
    po_dir = os.path.abspath(argv[2])
    yelp_check = argv[3]
    sources = [os.path.join(help_dir, 'C', f) for f in argv[4:]]
    pages = [s for s in sources if s.endswith('.page')]
    po = load_po_checks(po_dir)
    errors = []

    with tempfile.TemporaryDirectory(prefix='rd-help-check-') as tmp:
        pot = os.path.join(tmp, 'help.pot')
        result = po.run(['itstool', '-o', pot] + sources)
        if result.returncode != 0 or result.stderr.strip():
            print(result.stderr, file=sys.stderr)
            print('itstool could not extract the help template', file=sys.stderr)
            return 1
        total = po.statistics(po.run(['msgfmt', '--statistics', '-o', os.devnull,
                                      pot]).stderr)['untranslated']
        print(f'# {total} messages in the help template extracted from {len(sources)} files')
        if total == 0:
            errors.append('the extracted help template is empty')

        langs = po.read_linguas(help_dir)
        if not langs:
            errors.append('help/LINGUAS lists no language')
        for lang in langs:
            merged = po.check_language(f'help/{lang}/{lang}.po', lang,
                                       os.path.join(help_dir, lang, lang + '.po'), pot, tmp,
                                       errors)
            if merged is None:
                continue

            mo = os.path.join(tmp, lang + '.mo')
            ui_po = os.path.join(po_dir, lang + '.po')
            if not os.path.isfile(ui_po):
                errors.append(f'po/{lang}.po does not exist: the client is not translated '
                              f'into a language the help is')
                continue
            labels = ui_labels(catalog(po, ui_po, os.path.join(tmp, lang + '-ui.mo')))
            check_messages(lang, catalog(po, merged, mo), labels, errors)

            out_dir = os.path.join(tmp, lang)
            os.mkdir(out_dir)
            result = po.run(['itstool', '-m', mo, '--lang', lang, '-o', out_dir + os.sep]
                            + sources)
            if result.returncode != 0 or result.stderr.strip():
                errors.append(f'itstool could not merge help/{lang}/{lang}.po into the '
                              f'pages:\n{result.stderr.strip()}')
                continue
            for page in pages:
                translated = os.path.join(out_dir, os.path.basename(page))
                result = po.run([yelp_check, 'validate', translated])
                if result.returncode != 0 or not os.path.isfile(translated):
                    errors.append(f'the {lang} translation of {os.path.basename(page)} is '
                                  f'not valid Mallard:\n{result.stdout.strip()}'
                                  f'{result.stderr.strip()}')
            print(f'# {lang}: {len(pages)} translated pages validated')

    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
