#!/usr/bin/env bash
# Set up and run the whole test suite: lint, types, tests on SQLite, then the database tests on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh all,dev

echo "== ruff"
.venv/bin/ruff check jixiao tests bench scripts
echo "== mypy --strict (core)"
.venv/bin/mypy jixiao --exclude 'jixiao/web/'

echo "== pytest (SQLite)"
.venv/bin/python -m pytest -p no:cacheprovider "$@"

echo "== packaging: wheel and sdist, installed in fresh venvs outside the repository"
.venv/bin/python -m pytest -p no:cacheprovider -m install tests/test_packaging.py -q

# PostgreSQL is the production database: run the tests that touch a database again against it.
PG_URL="${JIXIAO_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
if [ -d tests/web ] && .venv/bin/python -c "import psycopg,sys; psycopg.connect('${PG_URL}', connect_timeout=3).close()" 2>/dev/null; then
  echo "== pytest (PostgreSQL)"
  DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -p no:cacheprovider tests/web -m "not e2e" "$@"
elif [ -d tests/web ]; then
  echo "== PostgreSQL not reachable at ${PG_URL}: database tests ran on SQLite only"
fi

# Every benchmark that has a quick mode prints its ratios (measured against a baseline in the same run):
# CI shows them; nothing is asserted on time, but a benchmark that crashes fails the run.
echo "== benchmarks (--quick: ratios only)"
for script in bench/*.py; do
  if grep -q -- '"--quick"' "$script"; then
    echo "-- $script --quick"
    JIXIAO_TEST_PG="$PG_URL" PYTHONPATH=. .venv/bin/python "$script" --quick
  fi
done
