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
# Plates never use I or O in the serial (they read as 1 and 0). The issuing-authority letter may be
# O: GA 36 gives O to 省直机关/公安政法 vehicles (豫O12345, police plates 豫O1234警).
_L = "A-HJ-NP-Z"
_AUTH = "A-HJ-Z"
_PLATE_ORDINARY = re.compile(rf"^[{PLATE_PROVINCES}][{_AUTH}][{_L}0-9]{{4}}[{_L}0-9]$")
# Suffix plates: 警 (police), 学 (driving school), 挂 (trailer), 领 (consulate), 试 (test).
_PLATE_SUFFIX = re.compile(rf"^[{PLATE_PROVINCES}][{_AUTH}][{_L}0-9]{{4}}[警学挂领试]$")
# 应急 (emergency-rescue vehicles, since 2018): province, authority, 4 characters, 应急.
_PLATE_EMERGENCY = re.compile(rf"^[{PLATE_PROVINCES}][{_AUTH}][{_L}0-9]{{4}}应急$")
# Cross-border plates 港/澳 exist only under 粤Z (广东省公安厅 issues them).
_PLATE_HK_MACAO = re.compile(rf"^粤Z[{_L}0-9]{{4}}[港澳]$")
# Embassy plates: 使 + 3-digit mission code + 3-digit serial.
_PLATE_EMBASSY = re.compile(r"^使[0-9]{6}$")
# New-energy plates (新能源): small cars D/F + 5 (豫AD12345, 豫AFA1234), large cars 5 digits + D/F.
_PLATE_NEV_SMALL = re.compile(rf"^[{PLATE_PROVINCES}][{_AUTH}][DF][{_L}0-9][0-9]{{4}}$")
_PLATE_NEV_LARGE = re.compile(rf"^[{PLATE_PROVINCES}][{_AUTH}][0-9]{{5}}[DF]$")
# 临时行驶车号牌: entered with the leading 临 printed on the plate, then province, authority and a
# six-character serial (letters and digits, no I/O).
_PLATE_TEMPORARY = re.compile(rf"^临[{PLATE_PROVINCES}][{_AUTH}][{_L}0-9]{{6}}$")
_PLATE_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_PLATE_NEV_SMALL, "新能源"),
    (_PLATE_NEV_LARGE, "新能源"),
    (_PLATE_ORDINARY, "普通"),
    (_PLATE_SUFFIX, "普通"),
    (_PLATE_EMERGENCY, "应急"),
    (_PLATE_HK_MACAO, "港澳入出境"),
    (_PLATE_EMBASSY, "使馆"),
    (_PLATE_TEMPORARY, "临时"),
)
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
    """'普通', '新能源', '应急', '港澳入出境', '使馆' or '临时' for a well-formed plate (GA 36),
    ``None`` otherwise. Suffix plates (警, 学, 挂, 领) count as 普通."""
    text = normalize_plate(value)
    for pattern, kind in _PLATE_KINDS:
        if pattern.match(text):
            return kind
    return None


def plate_problem(value: str) -> str | None:
    """Check a number plate (号牌号码): ordinary, suffix (警/学/挂/领), 应急, 港/澳 (粤Z only),
    使馆, new-energy or temporary (临)."""
    text = normalize_plate(value)
    if not text:
        return "请填写号牌号码"
    if plate_kind(text) is not None:
        return None
    if text.endswith(("港", "澳")):
        return "港澳入出境号牌只以“粤Z”开头（如粤Z1234港）"
    if text.startswith("使"):
        return "使馆号牌为“使”加6位数字（如使224001）"
    if text.startswith("临"):
        return "临时号牌格式：临＋省份简称＋发牌机关代号＋6位（如临豫A1B2C34）"
    if text[0] not in PLATE_PROVINCES:
        return f"号牌号码应以省份简称开头（如“豫”），而不是“{text[0]}”"
    if len(text) < 2 or not re.match(rf"[{_AUTH}]", text[1]):
        return "号牌号码第二位应为发牌机关代号字母（如豫A）"
    if "I" in text[2:] or "O" in text[2:]:
        return "号牌号码中不使用字母I和O，请核对是否为数字1或0"
    if len(text) not in (7, 8):
        return f"号牌号码长度不对：普通号牌7位，新能源号牌8位，当前为{len(text)}位"
    if len(text) == 8:
        return "新能源号牌格式不对：小型车为D/F加5位（豫AD12345），大型车为5位数字加D/F"
    return "号牌号码格式不对（例：豫A12345）"


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


# -- identity documents and driving licences ------------------------------------------------------

LICENCE_TYPES: dict[str, str] = {
    "resident": "居民身份证",
    "hk_macao": "港澳居民（居住证/来往内地通行证）",
    "taiwan": "台湾居民（居住证/来往大陆通行证）",
    "foreign": "外国人（永久居留身份证/护照）",
    "military": "军人（军官证/士兵证等）",
}
"""证件类型 of a party. A citizen's 驾驶证号 is the resident ID number; for the others the licence
carries its own number, so the form keeps 证件类型, 证件号码 and 驾驶证号 apart."""

_HK_MACAO_PERMIT = re.compile(r"^[HM][0-9]{8}([0-9]{2})?$")
_TAIWAN_PERMIT = re.compile(r"^[0-9]{8}([0-9]{2})?$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


def identity_problem(licence_type: str, value: str) -> str | None:
    """Check an identity number for its 证件类型 (default: resident ID)."""
    text = normalize_id(value)
    kind = licence_type or "resident"
    if kind == "resident":
        return resident_id_problem(text)
    if not text:
        return "请填写证件号码"
    if len(text) == 18 and text[:17].isdigit():
        # 港澳台居民居住证 (81/82/83…) and the 2023 外国人永久居留身份证 (9…) use the resident
        # ID's check digit.
        return resident_id_problem(text) if text[:1] != "9" else _check_only(text)
    if kind == "hk_macao":
        return None if _HK_MACAO_PERMIT.match(text) else (
            "港澳居民来往内地通行证为H或M加8位（或10位）数字，居住证为18位")
    if kind == "taiwan":
        return None if _TAIWAN_PERMIT.match(text) else (
            "台湾居民来往大陆通行证为8位（或10位）数字，居住证为18位")
    if kind == "foreign":
        return None if _PASSPORT.match(text) else "护照号码应为5至20位字母或数字"
    if kind == "military":
        return None if 4 <= len(text) <= 30 else "请填写军人证件号码（4至30位）"
    return f"未知的证件类型：{licence_type}"


def _check_only(text: str) -> str | None:
    expected = id_check_digit(text[:17])
    if text[17] != expected:
        return f"证件号码校验位错误（应为{expected}），请核对是否输错"
    return None


# 准驾车型 (《机动车驾驶证申领和使用规定》, 公安部令第162号, 附件): each class and the classes it
# also permits.
LICENCE_CLASSES: dict[str, frozenset[str]] = {
    "A1": frozenset({"A1", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "M"}),
    "A2": frozenset({"A2", "B1", "B2", "C1", "C2", "C3", "C4", "C6", "M"}),
    "A3": frozenset({"A3", "C1", "C2", "C3", "C4"}),
    "B1": frozenset({"B1", "C1", "C2", "C3", "C4", "M"}),
    "B2": frozenset({"B2", "C1", "C2", "C3", "C4", "M"}),
    "C1": frozenset({"C1", "C2", "C3", "C4"}),
    "C2": frozenset({"C2"}),
    "C3": frozenset({"C3", "C4"}),
    "C4": frozenset({"C4"}),
    "C5": frozenset({"C5"}),
    "C6": frozenset({"C6"}),
    "D": frozenset({"D", "E", "F"}),
    "E": frozenset({"E", "F"}),
    "F": frozenset({"F"}),
    "M": frozenset({"M"}),
    "N": frozenset({"N"}),
    "P": frozenset({"P"}),
}


def parse_licence_classes(value: str) -> frozenset[str]:
    """'C1', 'A2 D' or 'B2,E' → the classes written on the licence (upper case)."""
    text = _halfwidth(value).upper()
    return frozenset(c for c in re.split(r"[\s,，、/;；]+", text) if c)


def licence_class_problem(permitted: str, required: str) -> str | None:
    """第13条(一): does a licence with 准驾车型 ``permitted`` allow a vehicle needing
    ``required``? ``None`` when it does or when either is unknown (not checkable)."""
    if not permitted.strip() or not required:
        return None
    classes = parse_licence_classes(permitted)
    unknown = sorted(c for c in classes if c not in LICENCE_CLASSES)
    if unknown:
        return f"未知的准驾车型：{'、'.join(unknown)}"
    allowed: set[str] = set()
    for c in classes:
        allowed |= LICENCE_CLASSES[c]
    if required in allowed:
        return None
    return f"准驾车型{'、'.join(sorted(classes))}不能驾驶本车（需{required}）"
