#!/usr/bin/env bash
# Set up everything jixiao needs on a fresh Debian machine: system packages (when root) and a venv.
# Usage: scripts/setup.sh [extras]   (default extras: all,dev)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-all,dev}"

# System packages: pdftoppm/pdftotext (PDF checks), chromium (browser tests, HTML screenshots),
# LibreOffice (xls/pdf fixtures). Installed only when missing and when we are root.
need=()
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing system packages: ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "== note: missing ${need[*]} (not root): the tests that need them are skipped"
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# constraints.txt pins every dependency to the versions the test suite passed with (scripts/lock.sh updates it).
# setuptools' "Editable installation" notice is information only (a folder named like the package shadows it:
# here that is the point of an editable install), so it is not printed.
PYTHONWARNINGS="ignore:Editable installation" .venv/bin/python -m pip install -q -c constraints.txt -e ".[${extras}]"
echo "== jixiao installed in .venv ($(.venv/bin/jixiao --help >/dev/null && echo ok))"
