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
