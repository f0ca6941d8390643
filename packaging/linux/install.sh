#!/usr/bin/env bash
# Installs a built desk bundle on a workstation: copies it to /opt/desk and adds the menu entry.
# Run from inside the bundle folder as root:  sudo ./install.sh
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${DESK_PREFIX:-/opt/desk}"
mkdir -p "$dest"
cp -a "$src/." "$dest/"
install -Dm644 "$src/desk.desktop" /usr/share/applications/desk.desktop
ln -sf "$dest/desk" /usr/local/bin/desk
ln -sf "$dest/desk-central" /usr/local/bin/desk-central
echo "desk installed in $dest; start it from the menu or with: desk"
