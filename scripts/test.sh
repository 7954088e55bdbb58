#!/usr/bin/env bash
# Second command of the README: install the test tools and run every check and test,
# on SQLite and, when it answers on 127.0.0.1:5432 (or DATABASE_URL names it), PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh test
apt_install chromium fonts-noto-core
export SAFEPASSAGE_DATA_DIR="${SAFEPASSAGE_DATA_DIR:-$(mktemp -d)}"
export DJANGO_ALLOW_ASYNC_UNSAFE=true   # Playwright's sync API runs an event loop in tests

echo "== lint, types, architecture, migrations"
ruff check src tests bench
ruff format --check src tests bench
mypy src
lint-imports
safepassage makemigrations --check --dry-run

PG_URL="${SAFEPASSAGE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
run_suite() {
  local name="$1"; shift
  echo "== tests on $name"
  set +e
  "$@" pytest -p no:cacheprovider -q
  local status=$?
  set -e
  [ $status -eq 0 ] || { echo "tests failed on $name" >&2; exit $status; }
}
run_suite SQLite env -u DATABASE_URL
if python -c "import psycopg,sys; psycopg.connect('$PG_URL', connect_timeout=3).close()" 2>/dev/null; then
  run_suite PostgreSQL env DATABASE_URL="$PG_URL"
elif [ "${SAFEPASSAGE_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required but does not answer at $PG_URL" >&2; exit 1
else
  echo "== PostgreSQL not reachable at $PG_URL: skipped (set SAFEPASSAGE_TEST_POSTGRES_URL)"
fi
echo "== all checks passed"
