"""The ID, plate and phone validators on real-looking good and bad values."""

from __future__ import annotations

import random

import pytest

from desk.demo.accidents import fake_plate, fake_resident_id
from desk.domain.accidents import (
    normalize_plate,
    phone_problem,
    plate_kind,
    plate_problem,
    resident_id_problem,
)
from tests.accidents.helpers import fix_id, independent_check_digit

GOOD_IDS = [
    "11010519491231002X",  # the GB 11643 sample number
    "11010519491231002x",  # lower-case x is what people type
    fix_id("41010219900307123"),
    fix_id("41018319851111004"),
    fix_id("44030619991231555"),
    " 1101 0519 4912 3100 2X ",
]


@pytest.mark.parametrize("value", GOOD_IDS)
def test_good_resident_ids(value: str) -> None:
    assert resident_id_problem(value) is None


@pytest.mark.parametrize(("value", "fragment"), [
    ("110105194912310021", "校验位"),  # wrong check digit
    ("11010519491231002", "18位"),
    ("1101051949123100211", "18位"),
    ("11010519491231A02X", "前17位"),
    (fix_id("99010519491231002"), "地区代码"),
    (fix_id("41010219900230123"), "出生日期"),  # 30 February
    (fix_id("41010218500101123"), "不合理"),
    ("", "请填写"),
])
def test_bad_resident_ids(value: str, fragment: str) -> None:
    problem = resident_id_problem(value)
    assert problem is not None and fragment in problem


def test_check_digit_agrees_with_textbook_formula() -> None:
    rng = random.Random(7)
    for _ in range(300):
        generated = fake_resident_id(rng)
        assert generated[17] == independent_check_digit(generated[:17])
        assert resident_id_problem(generated) is None
        wrong = "0123456789X".replace(generated[17], "")[rng.randrange(10)]
        assert resident_id_problem(generated[:17] + wrong) is not None


@pytest.mark.parametrize(("plate", "kind"), [
    ("豫A12345", "普通"), ("豫AB123C", "普通"), ("京N88888", "普通"), ("豫A1234学", "普通"),
    ("豫AD12345", "新能源"), ("豫AF12345", "新能源"), ("粤BDA1234", "新能源"),
    ("豫A12345D", "新能源"), ("豫a 12345", "普通"), ("豫ＡＤ１２３４５", "新能源"),
])
def test_good_plates(plate: str, kind: str) -> None:
    assert plate_problem(plate) is None
    assert plate_kind(plate) == kind


@pytest.mark.parametrize(("plate", "fragment"), [
    ("A12345", "省份"), ("XA12345", "省份"), ("豫112345", "第二位"),
    ("豫AI2345", "I和O"), ("豫AO2345", "I和O"), ("豫A1234", "长度"), ("豫A1234567", "长度"),
    ("豫A123456", "新能源"), ("豫AD1234A", "新能源"), ("豫AX12345", "新能源"), ("", "请填写"),
])
def test_bad_plates(plate: str, fragment: str) -> None:
    problem = plate_problem(plate)
    assert problem is not None and fragment in problem, problem


def test_generated_plates_are_valid() -> None:
    rng = random.Random(3)
    plates = [fake_plate(rng) for _ in range(500)]
    assert all(plate_problem(p) is None for p in plates)
    assert {plate_kind(p) for p in plates} == {"普通", "新能源"}
    assert normalize_plate("豫a·d12345") == "豫AD12345"


@pytest.mark.parametrize("phone", ["13800138000", "+86 139 0000 1111", "0371-67888888",
                                   "037167888888", "19912345678", "010-12345678"])
def test_good_phones(phone: str) -> None:
    assert phone_problem(phone) is None


@pytest.mark.parametrize(("phone", "fragment"), [
    ("1380013800", "11位"), ("138001380001", "11位"), ("12345678901", "11位"),
    ("67888888", "区号"), ("abc", "格式"), ("", "请填写"),
])
def test_bad_phones(phone: str, fragment: str) -> None:
    problem = phone_problem(phone)
    assert problem is not None and fragment in problem, problem


PLATE_TABLE = [
    # (plate, expected kind or None, reason per GA 36)
    ("豫O12345", "普通", "authority letter O: 省直机关/公安政法 (豫O…)"),
    ("豫O1234警", "普通", "police plate of a provincial-capital department (…O…警)"),
    ("豫A1234警", "普通", "police plate"),
    ("沪A1234领", "普通", "consulate plate (领)"),
    ("使224001", "使馆", "embassy plate: 使 + 6 digits"),
    ("豫A1234应急", "应急", "emergency-rescue plate (应急, 2018)"),
    ("粤Z1234港", "港澳入出境", "港 plates exist under 粤Z only"),
    ("粤Z1234澳", "港澳入出境", "澳 plates exist under 粤Z only"),
    ("豫A1234港", None, "港 outside 粤Z is not a real plate"),
    ("临豫A1B2C34", "临时", "临时行驶车号牌, typed with its leading 临"),
    ("豫A12345D", "新能源", "large NEV: 5 digits + D/F"),
    ("豫AD12345", "新能源", "small NEV: D/F + 5"),
    ("豫AO2345", None, "no O in the serial"),
    ("使22400", None, "embassy plate too short"),
]


@pytest.mark.parametrize(("plate", "kind", "why"), PLATE_TABLE, ids=[r[2] for r in PLATE_TABLE])
def test_plate_table(plate: str, kind: str | None, why: str) -> None:
    assert plate_kind(plate) == kind, why
    assert (plate_problem(plate) is None) is (kind is not None), why


LICENCE_TABLE = [
    # (证件类型, number, ok, reason)
    ("resident", "11010519491231002X", True, "citizen: the resident ID is the licence number"),
    ("hk_macao", "H12345678", True, "港澳居民来往内地通行证 H + 8 digits"),
    ("hk_macao", "M1234567890", True, "Macau permit, 10 digits"),
    ("hk_macao", "12345", False, "not a permit number"),
    ("taiwan", "12345678", True, "台胞证 8 digits"),
    ("foreign", "E12345678", True, "a foreigner's passport number"),
    ("military", "军字第1234567号", True, "a serviceman's certificate number"),
    ("resident", "H12345678", False, "a permit is not a resident ID"),
]


@pytest.mark.parametrize(("kind", "number", "ok", "why"), LICENCE_TABLE,
                         ids=[r[3] for r in LICENCE_TABLE])
def test_identity_table(kind: str, number: str, ok: bool, why: str) -> None:
    from desk.domain.accidents import identity_problem

    assert (identity_problem(kind, number) is None) is ok, why


CLASS_TABLE = [
    # (准驾车型 on the licence, class the vehicle needs, allowed, reason: 公安部令第162号 附件)
    ("C1", "C2", True, "C1 also permits C2"),
    ("C2", "C1", False, "C2 (automatic) does not permit C1"),
    ("A1", "B1", True, "A1 covers B1"),
    ("B2", "A2", False, "B2 does not cover a tractor"),
    ("A2 D", "E", True, "several classes on one licence"),
    ("C1", "E", False, "a car licence is not a motorcycle licence"),
]


@pytest.mark.parametrize(("permitted", "required", "ok", "why"), CLASS_TABLE,
                         ids=[r[3] for r in CLASS_TABLE])
def test_licence_class_table(permitted: str, required: str, ok: bool, why: str) -> None:
    from desk.domain.accidents import licence_class_problem

    assert (licence_class_problem(permitted, required) is None) is ok, why
