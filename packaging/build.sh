#!/usr/bin/env bash
# Builds the frozen one-folder Linux bundle dist/desk/ (desk + desk-central), checks it with
# `desk --self-test` and `desk-central --help`, and reports its size.
#   bash packaging/build.sh [--skip-check]
# Needs the venv made by `bash packaging/bootstrap.sh test` (it installs the [package] extra).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
py="${DESK_PYTHON:-$here/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"
out="${DESK_DIST:-$here/dist}"
work="${DESK_BUILD:-$here/build}"

"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$out" --workpath "$work" packaging/desk.spec
cp packaging/linux/desk.desktop packaging/linux/install.sh "$out/desk/"
cp resources/icons/desk.png "$out/desk/desk.png"

size_mb=$(du -sm "$out/desk" | cut -f1)
echo "desk bundle: $out/desk (${size_mb} MB)"

if [ "${1:-}" != "--skip-check" ]; then
  "$out/desk/desk-central" --help >/dev/null
  QT_QPA_PLATFORM=offscreen "$out/desk/desk" --self-test
  echo "self-test passed"
fi
