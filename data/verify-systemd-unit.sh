#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# verify-systemd-unit.sh SYSTEMD-ANALYZE UNIT INSTALLED-EXE BUILT-EXE
#
# Runs `systemd-analyze verify` on a copy of UNIT in a temporary directory in which
# INSTALLED-EXE (the ExecStart= path of the installed unit) is replaced by BUILT-EXE,
# because systemd-analyze refuses a unit whose command is not executable yet.
#
# systemd-analyze only warns about unknown keys and invalid values ("…, ignoring") and still
# exits 0, so any message it prints counts as a failure.
set -eu

if [ "$#" -ne 4 ]; then
  echo "usage: $0 SYSTEMD-ANALYZE UNIT INSTALLED-EXE BUILT-EXE" >&2
  exit 2
fi

analyze=$1
unit=$2
installed=$3
built=$4

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! grep -q "^ExecStart=$installed\\( \\|\$\\)" "$unit"; then
  echo "$unit: ExecStart= does not run $installed" >&2
  exit 1
fi

name=$(basename "$unit")
sed "s|^ExecStart=$installed|ExecStart=$built|" "$unit" > "$tmp/$name"
status=0
"$analyze" verify --man=no "$tmp/$name" > "$tmp/output" 2>&1 || status=$?
cat "$tmp/output"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ -s "$tmp/output" ]; then
  echo "$name: systemd-analyze verify printed warnings" >&2
  exit 1
fi
echo "$name: OK"
