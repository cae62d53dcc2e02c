#!/usr/bin/env bash
# Create the virtual environment; on Debian/Ubuntu install python3-venv first if it is missing.
set -euo pipefail
python="$1"; venv="$2"
[ -x "$venv/bin/python" ] && exit 0
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Yaosu needs Python 3.11 or newer; found: $("$python" --version 2>&1)" >&2; exit 1
fi
if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    ver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt-get update -qq && (apt-get install -y -qq "python${ver}-venv" || apt-get install -y -qq python3-venv)
    "$python" -m venv "$venv"
  else
    echo "Cannot create a virtual environment. On Debian/Ubuntu run: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
