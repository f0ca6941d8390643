"""Refresh the English translation: collect tr() strings from desk/ui with pyside6-lupdate, fill
them from en_glossary.tsv (Chinese<TAB>English, one per line), and compile desk_en.qm.

Run: python resources/i18n/update.py   (needs the PySide6 tools from the venv on PATH or beside
the interpreter). Strings without a glossary entry stay "unfinished" and are listed.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "desk_en.ts"
QM = HERE / "desk_en.qm"
GLOSSARY = HERE / "en_glossary.tsv"

log = logging.getLogger("i18n")


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desk" / "ui").rglob("*.py"))
    subprocess.run([tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(TS),
                    "-source-language", "zh_CN", "-target-language", "en"],
                   cwd=ROOT, check=True, capture_output=True)
    glossary: dict[str, str] = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            zh, _, en = line.partition("\t")
            glossary[zh] = en
    tree = ET.parse(TS)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        # A disambiguated string (tr("撤销", "undo")) may have its own entry "撤销|undo".
        comment = message.findtext("comment") or ""
        if comment and f"{source}|{comment}" in glossary:
            source = f"{source}|{comment}"
        translation = message.find("translation")
        assert translation is not None
        if source in glossary and message.get("numerus") == "yes":
            # English has two plural forms; our %n strings read the same in both.
            for child in list(translation):
                translation.remove(child)
            translation.text = None
            for _ in range(2):
                ET.SubElement(translation, "numerusform").text = glossary[source]
            translation.attrib.pop("type", None)
        elif source in glossary:
            translation.text = glossary[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True,
                   capture_output=True)
    for source in sorted(set(missing)):
        log.info("untranslated: %s", source)
    log.info("%d untranslated string(s)", len(set(missing)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
