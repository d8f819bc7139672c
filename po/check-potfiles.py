#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check po/POTFILES.in against the source tree.

Usage: check-potfiles.py SOURCE_ROOT

Fails (exit 1) when
  - a file with translatable strings is listed neither in POTFILES.in nor in POTFILES.skip:
    C files that call _(), N_(), C_(), NC_(), ngettext() and friends; .ui files with
    translatable="yes"; *.desktop.in*, *.metainfo.xml.in* and *.gschema.xml files;
  - POTFILES.in or POTFILES.skip lists a file that does not exist, or a file twice, or a
    file in both;
  - POTFILES.in or POTFILES.skip is not sorted (plain code-point order, LC_ALL=C sort).

The files looked at are git's tracked and untracked-but-not-ignored files when the source
tree is a git checkout, otherwise every file below SOURCE_ROOT outside build directories.
Nothing is written.
"""

import os
import re
import subprocess
import sys

C_MARKERS = re.compile(
    r'(?<![A-Za-z0-9_])'
    r'(?:_|N_|C_|NC_|ngettext|dngettext|g_dngettext|g_dcgettext|g_dpgettext2|gettext|dgettext)'
    r'\s*\(')
UI_MARKER = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.IGNORECASE)
ALWAYS = (
    re.compile(r'\.desktop\.in(\.in)?$'),
    re.compile(r'\.metainfo\.xml\.in(\.in)?$'),
    re.compile(r'\.gschema\.xml(\.in)?$'),
)
SKIP_DIRS = {'.git', '.flatpak-builder', 'subprojects'}


def is_build_dir(path):
    return (os.path.exists(os.path.join(path, 'meson-private'))
            or os.path.exists(os.path.join(path, 'build.ninja')))


def list_files(root):
    if os.path.isdir(os.path.join(root, '.git')):
        try:
            out = subprocess.run(
                ['git', '-C', root, 'ls-files', '--cached', '--others',
                 '--exclude-standard', '-z'],
                check=True, capture_output=True).stdout
            files = [f for f in out.decode('utf-8').split('\0') if f]
            # deleted-but-still-indexed files are not there to be checked
            return sorted(f for f in set(files) if os.path.isfile(os.path.join(root, f)))
        except (OSError, subprocess.CalledProcessError):
            pass
    result = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames
                       if d not in SKIP_DIRS and not is_build_dir(os.path.join(dirpath, d))]
        for name in filenames:
            result.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(result)


def strip_c_comments_and_defines(text):
    # drop comments and preprocessor lines (a "#define _(s) gettext (s)" is not a use)
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.DOTALL)
    text = re.sub(r'//[^\n]*', ' ', text)
    return '\n'.join(line for line in text.splitlines()
                     if not line.lstrip().startswith('#'))


def has_translatable_strings(root, path):
    if any(pattern.search(path) for pattern in ALWAYS):
        return True
    if path.endswith(('.c', '.h')):
        with open(os.path.join(root, path), encoding='utf-8', errors='replace') as f:
            return C_MARKERS.search(strip_c_comments_and_defines(f.read())) is not None
    if path.endswith('.ui'):
        with open(os.path.join(root, path), encoding='utf-8', errors='replace') as f:
            return UI_MARKER.search(f.read()) is not None
    return False


def read_list(path):
    entries = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append((number, line))
    return entries


def check_list(root, name, entries, errors):
    seen = set()
    for number, entry in entries:
        if entry in seen:
            errors.append(f'po/{name}:{number}: {entry} is listed twice')
        seen.add(entry)
        if not os.path.isfile(os.path.join(root, entry)):
            errors.append(f'po/{name}:{number}: {entry} does not exist')
    names = [entry for _, entry in entries]
    for (number, entry), previous in zip(entries[1:], names):
        if entry < previous:
            errors.append(f'po/{name}:{number}: {entry} is not sorted '
                          f'(it must come before {previous}; use LC_ALL=C sort)')
    return seen


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    po_dir = os.path.join(root, 'po')
    errors = []

    listed = check_list(root, 'POTFILES.in',
                        read_list(os.path.join(po_dir, 'POTFILES.in')), errors)
    skip_path = os.path.join(po_dir, 'POTFILES.skip')
    skipped = set()
    if os.path.exists(skip_path):
        skipped = check_list(root, 'POTFILES.skip', read_list(skip_path), errors)
    for entry in sorted(listed & skipped):
        errors.append(f'{entry} is in both po/POTFILES.in and po/POTFILES.skip')

    checked = 0
    for path in list_files(root):
        if path.startswith('po/'):
            continue
        checked += 1
        if has_translatable_strings(root, path) and path not in listed | skipped:
            errors.append(f'{path} has translatable strings but is not in po/POTFILES.in '
                          f'(add it, sorted; or to po/POTFILES.skip if it must not be '
                          f'translated)')

    print(f'# looked at {checked} files; POTFILES.in lists {len(listed)}, '
          f'POTFILES.skip {len(skipped)}')
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
