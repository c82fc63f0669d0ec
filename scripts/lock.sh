#!/usr/bin/env bash
# Regenerate constraints.txt from the tested venv (.venv, set up by scripts/setup.sh): pins every dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  sed -n '/^#/p' constraints.txt
  .venv/bin/python -m pip freeze --exclude-editable
} > constraints.txt.new
mv constraints.txt.new constraints.txt
echo "== constraints.txt: $(grep -vc '^#' constraints.txt) packages"
