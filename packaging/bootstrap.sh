#!/usr/bin/env bash
# Sets up desk on Debian 12 (system libraries for Qt/QtWebEngine, a CJK font, a virtualenv)
# and then either starts the app on the demo city or runs the whole test suite headless.
#   bash packaging/bootstrap.sh app [desk options]   # install and start `desk --demo`
#   bash packaging/bootstrap.sh test [pytest args]   # install with test extras and run every test
set -euo pipefail

mode="${1:-app}"
shift || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# Found with ldd on PySide6's Qt libraries and QtWebEngineProcess; fonts-noto-cjk so Chinese text
# is not boxes; xvfb/xauth for headless runs; python3-venv because Debian splits venv out.
apt_packages=(
  python3-venv libnss3 libnspr4 libasound2 libdbus-1-3 libdrm2 libgbm1 libegl1 libgl1 libglx0
  libglvnd0 libfontconfig1 libfreetype6 libglib2.0-0 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xfixes0 libxcb-xkb1 libxcomposite1 libxdamage1 libxext6 libxfixes3 libxkbcommon0
  libxkbcommon-x11-0 libxkbfile1 libxrandr2 libxrender1 libxtst6 libgssapi-krb5-2 libgl1-mesa-dri
  libxshmfence1 libpulse0 fontconfig fonts-noto-cjk xvfb xauth fonts-wqy-zenhei poppler-utils
  postgresql-15 postgresql-15-postgis-3 nats-server
  ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "desk: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "desk: these system packages are missing; install them first with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

python=""
for candidate in python3.11 python3.12 python3.13 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python="$candidate"; break
  fi
done
[ -n "$python" ] || { echo "desk: Python 3.11 or newer is required" >&2; exit 1; }

venv="${DESK_VENV:-$here/.venv}"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip

case "$mode" in
  app)
    "$venv/bin/python" -m pip install -q -e .
    exec "$venv/bin/desk" --demo "$@"
    ;;
  test)
    "$venv/bin/python" -m pip install -q -e ".[test,package]"
    export QT_QPA_PLATFORM=offscreen
    exec "$venv/bin/python" -m pytest -q "$@"
    ;;
  *)
    echo "usage: bash packaging/bootstrap.sh app|test [args]" >&2
    exit 2
    ;;
esac
