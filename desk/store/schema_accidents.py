"""Tables of minor-accident quick handling (轻微事故快处): cases, parties, the state log, evidence,
documents, the insurance hand-off queue and the ordinary-procedure incidents."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

accidents = Migrations("desk.accidents")


@accidents()
def m001_accident_tables(db: sqlite_utils.Database) -> None:
    # The map draws accident_cases straight from id, case_no, state, lat, lon, place, reported_at.
    db.table("accident_cases").create(
        {"id": str, "case_no": str, "case_key": str, "state": str, "lat": float, "lon": float,
         "place": str, "weather": str, "accident_type": str, "collision_points": str,
         "narrative": str, "eligibility": str, "liability_override_reason": str, "officer": str,
         "source": str, "reported_at": float, "accepted_at": float, "decided_at": float,
         "closed_at": float, "incident_id": str, "updated_at": float},
        pk="id",
    )
    # The client-supplied key makes a re-submitted report land on the same case.
    db.table("accident_cases").create_index(["case_key"], unique=True)
    db.table("accident_cases").create_index(["case_no"])
    db.table("accident_cases").create_index(["state", "reported_at"])
    db.table("accident_cases").create_index(["reported_at"])
    db.table("accident_parties").create(
        {"id": str, "case_id": str, "seq": int, "name": str, "id_number": str, "phone": str,
         "vehicle_type": str, "plate": str, "insurer": str, "policy_no": str, "initiator": int,
         "liability": str},
        pk="id",
    )
    db.table("accident_parties").create_index(["case_id", "seq"])
    db.table("accident_parties").create_index(["plate"])
    # Every state change is its own row (state, time, who), so KPIs can be computed afterwards.
    db.table("accident_state_log").create(
        {"id": str, "case_id": str, "state": str, "at": float, "actor": str, "reason": str},
        pk="id",
    )
    db.table("accident_state_log").create_index(["case_id", "at"])
    db.table("accident_state_log").create_index(["state", "at"])
    # Files live content-addressed (sha256) beside the workspace; these rows list them per case.
    db.table("accident_evidence").create(
        {"id": str, "case_id": str, "kind": str, "sha256": str, "filename": str,
         "media_type": str, "size": int, "added_at": float, "added_by": str},
        pk="id",
    )
    db.table("accident_evidence").create_index(["case_id"])
    db.table("accident_documents").create(
        {"id": str, "case_id": str, "kind": str, "sha256": str, "filename": str,
         "created_at": float, "created_by": str},
        pk="id",
    )
    db.table("accident_documents").create_index(["case_id"])
    # Local hand-off queue for the insurers; the sync outbox can carry these rows to the central.
    db.table("accident_insurance_queue").create(
        {"id": str, "case_id": str, "party_id": str, "insurer": str, "policy_no": str,
         "status": str, "queued_at": float, "updated_at": float, "attempts": int,
         "last_error": str},
        pk="id",
    )
    db.table("accident_insurance_queue").create_index(["case_id"])
    db.table("accident_insurance_queue").create_index(["status"])
    # An ineligible case becomes an ordinary incident (一般程序) that units are sent to.
    db.table("accident_incidents").create(
        {"id": str, "case_id": str, "lat": float, "lon": float, "place": str, "reasons": str,
         "status": str, "created_at": float, "created_by": str},
        pk="id",
    )
    db.table("accident_incidents").create_index(["case_id"])


@accidents()
def m002_insurance_answer(db: sqlite_utils.Database) -> None:
    # The insurer's answer arrives from desk-central through the change feed; the pull stores
    # only columns the workspace has, so the answer needs columns of its own.
    queue = db.table("accident_insurance_queue")
    queue.add_column("ack_reason", str)
    queue.add_column("acked_at", float)
    queue.add_column("acked_by", str)
    queue.add_column("insurer_claim_no", str)


@accidents()
def m003_procedure_documents_identity(db: sqlite_utils.Database) -> None:
    # 公安部令第146号: the 认定书 needs the accident's own time, its 事故形态 (apart from the
    # 事故情形 in accident_type), the 第25条 mediation result, a document number, the officer's
    # 警号 and the issuing department.
    cases = db.table("accident_cases")
    for name, kind in (("occurred_at", float), ("collision_form", str),
                       ("mediation_requested", int), ("mediation_result", str), ("doc_no", str),
                       ("officer_badge", str), ("issuing_unit", str)):
        cases.add_column(name, kind)
    # Parties: 使用性质 apart from 车辆类型; licence type and number (a foreigner's, a HK/Macau
    # resident's or a serviceman's licence number is not a resident ID); 准驾车型 for 第13条(一);
    # each party's 过错 and its legal basis; how the party confirmed the document.
    parties = db.table("accident_parties")
    for name, kind in (("vehicle_use", str), ("licence_type", str), ("licence_no", str),
                       ("permitted_class", str), ("fault", str), ("legal_basis", str),
                       ("confirm_method", str), ("confirmed_by", str), ("confirmed_at", float),
                       ("signature_refused", int)):
        parties.add_column(name, kind)
    # 转现场处理（简易程序） also sends an officer: its incident says which procedure it is.
    db.table("accident_incidents").add_column("procedure", str)
