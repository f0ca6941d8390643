"""Checks on what parties tell us: resident ID numbers, number plates and phone numbers.

Each ``*_problem`` function returns ``None`` when the value is good and a Chinese message that says
what is wrong otherwise; ``normalize_*`` turns what a person typed (full-width characters, spaces,
lower case) into the stored form first.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# ISO 7064 MOD 11-2 weights for the first 17 digits of a resident ID (GB 11643-1999).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits: province-level division codes (GB/T 2260), so "99..." is refused early.
_PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82", "83", "91"}
)

PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Plates never use I or O (they read as 1 and 0).
_L = "A-HJ-NP-Z"
_PLATE_ORDINARY = re.compile(rf"^[{PLATE_PROVINCES}][{_L}][{_L}0-9]{{4}}[{_L}0-9挂学警港澳]$")
# New-energy plates (新能源): small cars D/F + 5 (豫AD12345, 豫AFA1234), large cars 5 digits + D/F.
_PLATE_NEV_SMALL = re.compile(rf"^[{PLATE_PROVINCES}][{_L}][DF][{_L}0-9][0-9]{{4}}$")
_PLATE_NEV_LARGE = re.compile(rf"^[{PLATE_PROVINCES}][{_L}][0-9]{{5}}[DF]$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[1-9][0-9]{1,2}-?[1-9][0-9]{6,7}$")


def _halfwidth(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def normalize_id(value: str) -> str:
    return re.sub(r"\s+", "", _halfwidth(value)).upper()


def normalize_plate(value: str) -> str:
    # NFKC would not touch the province character; it folds full-width letters and digits.
    return re.sub(r"[\s·•.\-]+", "", _halfwidth(value)).upper()


def normalize_phone(value: str) -> str:
    text = re.sub(r"[\s()]+", "", _halfwidth(value))
    return text.removeprefix("+86").removeprefix("0086")


def id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 digits ('X' stands for 10)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_problem(value: str) -> str | None:
    """Check an 18-character resident ID (居民身份证号码): digits, region, birth date and the
    check digit."""
    text = normalize_id(value)
    if not text:
        return "请填写身份证号码"
    if len(text) != 18:
        return f"身份证号码应为18位，当前为{len(text)}位"
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return "身份证号码前17位应为数字，最后一位为数字或X"
    if text[:2] not in _PROVINCE_CODES:
        return f"身份证号码的地区代码“{text[:2]}”无效"
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return f"身份证号码中的出生日期“{text[6:14]}”无效"
    if born.year < 1900 or born > dt.date.today():
        return f"身份证号码中的出生日期“{text[6:14]}”不合理"
    expected = id_check_digit(text[:17])
    if text[17] != expected:
        return f"身份证号码校验位错误（应为{expected}），请核对是否输错"
    return None


def plate_kind(value: str) -> str | None:
    """'新能源' or '普通' for a well-formed plate, ``None`` otherwise."""
    text = normalize_plate(value)
    if _PLATE_NEV_SMALL.match(text) or _PLATE_NEV_LARGE.match(text):
        return "新能源"
    if _PLATE_ORDINARY.match(text):
        return "普通"
    return None


def plate_problem(value: str) -> str | None:
    """Check a number plate (号牌号码), ordinary or new-energy."""
    text = normalize_plate(value)
    if not text:
        return "请填写号牌号码"
    if text[0] not in PLATE_PROVINCES:
        return f"号牌号码应以省份简称开头（如“豫”），而不是“{text[0]}”"
    if len(text) < 2 or not re.match(rf"[{_L}]", text[1]):
        return "号牌号码第二位应为发牌机关代号字母（如豫A）"
    if "I" in text[2:] or "O" in text[2:]:
        return "号牌号码中不使用字母I和O，请核对是否为数字1或0"
    if len(text) not in (7, 8):
        return f"号牌号码长度不对：普通号牌7位，新能源号牌8位，当前为{len(text)}位"
    if plate_kind(text) is None:
        if len(text) == 8:
            return "新能源号牌格式不对：小型车为D/F加5位（豫AD12345），大型车为5位数字加D/F"
        return "号牌号码格式不对（例：豫A12345）"
    return None


def phone_problem(value: str) -> str | None:
    """Check a phone number: an 11-digit mobile number or a landline with area code."""
    text = normalize_phone(value)
    if not text:
        return "请填写联系电话"
    if _MOBILE.match(text) or _LANDLINE.match(text):
        return None
    if text.isdigit() and text.startswith("1"):
        return f"手机号码应为以1开头的11位数字，当前为{len(text)}位"
    return "联系电话格式不对（手机11位，座机请加区号，如0371-12345678）"
