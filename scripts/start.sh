#!/usr/bin/env bash
# First command of the README: install, create the demo database, start on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh
safepassage demo
exec safepassage serve --host 127.0.0.1 --port "${PORT:-8000}"
