"""Shared helpers for the accident tests: a service on a real workspace, good party data, and a
PDF text reader that needs no extra dependency (inflate streams, decode UTF-16BE CID strings)."""

from __future__ import annotations

import re
from pathlib import Path

from desk.domain.accidents import REQUIRED_PHOTOS, all_allowing
from desk.services.accidents import AccidentService
from desk.services.context import AppContext
from desk.store import Workspace

PARTY_A = {
    "name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000",
    "vehicle_type": "小型轿车", "plate": "豫A12345", "insurer": "人保财险",
    "policy_no": "PDZA202541010001", "initiator": True, "vehicle_use": "非营运",
    "permitted_class": "C1",
}
PARTY_B = {
    "name": "李娜", "id_number": "410102199003071234", "phone": "0371-67888888",
    "vehicle_type": "小型轿车", "plate": "豫AD12345", "insurer": "平安产险",
    "policy_no": "PDZA202541010002", "initiator": False, "vehicle_use": "预约出租客运",
    "permitted_class": "C2",
}


def independent_check_digit(first17: str) -> str:
    """Check digit by the textbook formula (weights 2^(17-i) mod 11), independent of desk's table."""
    s = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    value = (12 - s % 11) % 11
    return "X" if value == 10 else str(value)


def fix_id(id17: str) -> str:
    return id17 + independent_check_digit(id17)


PARTY_B["id_number"] = fix_id(str(PARTY_B["id_number"])[:17])


OFFICER_SETTINGS = {"accidents.officer": "王警官", "accidents.officer_badge": "410123",
                    "accidents.issuing_unit": "郑州市公安局交通警察支队金水大队"}


def make_service(ws: Workspace, **settings: object) -> AccidentService:
    ctx = AppContext(workspace=ws, settings={**OFFICER_SETTINGS, **settings})
    return ctx.service(AccidentService)


def ready_case(svc: AccidentService, key: str = "k-ready", **kw: object) -> str:
    """A reported case with good parties, a clean checklist and the three required photos."""
    answers: dict[str, bool | None] = dict(all_allowing())
    answers.update(kw.pop("eligibility", {}))  # type: ignore[call-overload]
    case = svc.create_case(
        case_key=key, lat=34.8068, lon=113.6773, place="花园路与三全路交叉口",
        accident_type="rear_end", parties=[PARTY_A, PARTY_B], eligibility=answers,
        weather="晴", narrative="后车追尾前车，无人员受伤。",
        collision_points=["车头", "车尾"], **kw,  # type: ignore[arg-type]
    )
    if case.occurred_at is None:
        # The accident happened a few minutes before the call.
        case.occurred_at = case.reported_at - 240
        svc.save_draft(case)
    for kind in REQUIRED_PHOTOS:
        svc.add_evidence(case.id, b"\x89PNG\r\n" + kind.value.encode() + key.encode(), kind,
                         filename=f"{kind.value}.png")
    return case.id


def pdf_text(path: Path) -> str:
    """All text of a PDF as a viewer extracts it (QtPdf; the embedded font's ToUnicode map)."""
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # pytest-qt's qapp reuses it
    assert app is not None
    doc = QPdfDocument()
    doc.load(str(path))
    assert doc.status() == QPdfDocument.Status.Ready, doc.error()
    text = "".join(doc.getAllText(page).text() for page in range(doc.pageCount()))
    doc.close()
    # Wrapped lines come back with line breaks; Chinese text has no spaces to lose.
    return text.replace("\r\n", "").replace("\n", "")


def pdf_fonts(path: Path) -> list[str]:
    """Base font names the PDF uses, with whether each is embedded (FontFile2 = TrueType)."""
    data = path.read_bytes()
    names = re.findall(rb"/BaseFont\s*/([A-Za-z0-9+#_-]+)", data)
    embedded = b"/FontFile2" in data
    return [n.decode() + (" (embedded)" if embedded else "") for n in names]
