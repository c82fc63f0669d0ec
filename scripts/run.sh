#!/usr/bin/env bash
# Set up and run the main job: the web application on SQLite with demo data.
# Prints the demo logins and the address; stop with Ctrl-C. Options are passed to `jixiao serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
# The data (SQLite, secret key) of this clone stays in this clone: ./data, unless JIXIAO_DATA_DIR says otherwise.
export JIXIAO_DATA_DIR="${JIXIAO_DATA_DIR:-$PWD/data}"
bash scripts/setup.sh all
# The demo goes to its own data dir (./data/demo): its accounts share a published password.
.venv/bin/jixiao demo || echo "（演示数据已在演示数据目录中，未重新载入）"
exec .venv/bin/jixiao serve --demo "$@"
