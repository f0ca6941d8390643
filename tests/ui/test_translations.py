"""The English translation is complete: every tr() string in desk/ui has a finished translation
in resources/i18n/desk_en.ts (re-collected here with pyside6-lupdate, so a new string without
one fails), and the compiled .qm really translates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"


def _sources(ts: Path) -> dict[str, ET.Element]:
    return {(m.findtext("source") or ""): m for m in ET.parse(ts).iter("message")}


def test_every_ui_string_has_an_english_translation(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    tool = str(lupdate) if lupdate.exists() else shutil.which("pyside6-lupdate")
    if tool is None:
        pytest.skip("pyside6-lupdate not found")
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desk" / "ui").rglob("*.py"))
    subprocess.run([tool, *files, "-ts", str(fresh)], cwd=ROOT, check=True, capture_output=True)
    committed = _sources(I18N / "desk_en.ts")
    missing = sorted(set(_sources(fresh)) - set(committed))
    assert not missing, f"run resources/i18n/update.py; strings not in desk_en.ts: {missing[:10]}"
    unfinished = [s for s, m in committed.items()
                  if (m.find("translation") is None or m.find("translation").get("type") == "unfinished")]
    assert not unfinished, f"untranslated: {unfinished[:10]}"


def test_compiled_translation_translates(qapp) -> None:  # type: ignore[no-untyped-def]
    translator = QTranslator()
    assert translator.load(str(I18N / "desk_en.qm"))
    assert translator.translate("Docks", "地图") == "Map"
    assert translator.translate("Actions", "退出") == "Quit"


def test_table_headers_follow_the_language(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from desk.ui.alerts.model import AlertTableModel
    from desk.ui.water.model import WaterPointModel

    translator = QTranslator()
    assert translator.load(str(I18N / "desk_en.qm"))
    assert AlertTableModel().headerData(0, Qt.Orientation.Horizontal) == "级别"
    qapp.installTranslator(translator)
    try:
        assert AlertTableModel().headerData(0, Qt.Orientation.Horizontal) == "Severity"
        assert WaterPointModel().headerData(3, Qt.Orientation.Horizontal) == "Depth (cm)"
    finally:
        qapp.removeTranslator(translator)
