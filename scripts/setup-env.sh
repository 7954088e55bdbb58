# Shared by start.sh and test.sh: a virtual environment with SafePassage installed.
# Usage: source scripts/setup-env.sh [extras]   (extras: "test" for the test tools)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "SafePassage needs Python 3.11 or newer" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  # Debian packages the project needs (gettext for translations, chromium for browser tests).
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { echo "please install: ${missing[*]}" >&2; return 1; }
  as_root apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}
apt_install gettext
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PYTHON" -m venv "$ROOT/.venv"
fi
VENV="$ROOT/.venv"
extras="${1:-}"
target="$ROOT"; [ -n "$extras" ] && target="$ROOT[$extras]"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$target"
(cd "$ROOT/src/safepassage" && DJANGO_SETTINGS_MODULE=safepassage.settings \
  SAFEPASSAGE_DATA_DIR="${SAFEPASSAGE_DATA_DIR:-$ROOT/var}" \
  "$VENV/bin/django-admin" compilemessages -v 0)
export PATH="$VENV/bin:$PATH"
