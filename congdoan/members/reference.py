"""Reference lists for member records: ethnic groups, religions, schooling, sex, CCCD numbers
and today's provinces and communes, with lenient matching of typed or imported text."""

import datetime
import functools
import re

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congdoan.core.formatting import date_vi
from congdoan.core.text import fold, sort_key


def _key(text: str) -> str:
    """Folded, with spaces and the punctuation people vary on removed: 'H'Mông' → 'hmong'."""
    return re.sub(r"[\s\-–—'’‘`.,_()/]+", "", fold(text))


# --- Ethnic groups ----------------------------------------------------------------------------

# The 54 groups and their codes as in the General Statistics Office list "Danh mục các thành
# phần dân tộc Việt Nam" (Decision 121-TCTK/PPCĐ of 2 March 1979), the codes still used on
# personnel and population records. The 2008 revision (Decision 1019/QĐ-TCTK) renumbered some
# groups by population (04 Mường, 05 Khơ-me, 06 Hoa); these are the 1979 numbers.
ETHNIC_GROUPS: list[tuple[str, str]] = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Hmông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
]
ETHNICITY_CHOICES: list[tuple[str, str]] = list(ETHNIC_GROUPS)
KINH = "01"
_ETHNIC_NAMES = dict(ETHNIC_GROUPS)

# Other names in common use (the "tên gọi khác" column of the same list, and the spellings of
# the 2008 revision), so imported rosters match.
_ETHNIC_ALIASES: dict[str, str] = {
    "viet": "01",
    "han": "04",
    "khmer": "05",
    "khmerkrom": "05",
    "mong": "08",
    "meo": "08",
    "giorai": "10",
    "jarai": "10",
    "rade": "12",
    "bahnar": "13",
    "sedang": "14",
    "caolan": "15",
    "sanchi": "15",
    "koho": "16",
    "stieng": "22",
    "bru": "23",
    "vankieu": "23",
    "katu": "26",
    "kmu": "29",
    "khmu": "29",
    "pako": "31",
    "paco": "31",
}
_ETHNIC_BY_KEY: dict[str, str] = {
    **_ETHNIC_ALIASES,
    **{_key(name): code for code, name in ETHNIC_GROUPS},
}


def ethnicity_name(code: str) -> str | None:
    return _ETHNIC_NAMES.get(code)


def is_minority(code: str) -> bool:
    """Every recognised group but Kinh is an ethnic minority, Hoa included (Decree 05/2011/NĐ-CP,
    art. 4: a minority is any group smaller than the majority group)."""
    return code in _ETHNIC_NAMES and code != KINH


def ethnicity_from_text(text: str) -> str | None:
    """'kinh' → '01', 'Khơ me'/'Khmer' → '05', 'H'Mông'/'Mông' → '08', 'tay' → '02' (Tày);
    None when nothing matches."""
    key = _key(text)
    for prefix in ("dantoc", "nguoi"):
        if key.startswith(prefix) and key[len(prefix) :] in _ETHNIC_BY_KEY:
            key = key[len(prefix) :]
    return _ETHNIC_BY_KEY.get(key)


# --- Religions --------------------------------------------------------------------------------

RELIGION_NONE = "none"
RELIGION_OTHER = "other"
# The 16 religions the State has recognised (Government Committee for Religious Affairs, Ban Tôn
# giáo Chính phủ, under the Law on Belief and Religion 02/2016/QH14), in the order of its list.
RELIGIONS: list[tuple[str, str]] = [
    (RELIGION_NONE, "Không"),
    ("buddhism", "Phật giáo"),
    ("catholic", "Công giáo"),
    ("protestant", "Tin lành"),
    ("caodai", "Cao Đài"),
    ("hoahao", "Phật giáo Hòa Hảo"),
    ("islam", "Hồi giáo"),
    ("bahai", "Tôn giáo Baha'i"),
    ("tinh_do_cu_si", "Tịnh độ Cư sỹ Phật hội Việt Nam"),
    ("adventist", "Cơ đốc Phục lâm"),
    ("tu_an_hieu_nghia", "Phật giáo Tứ Ân Hiếu Nghĩa"),
    ("minh_su", "Minh Sư đạo"),
    ("minh_ly", "Minh Lý đạo – Tam Tông Miếu"),
    ("brahmanism", "Bà-la-môn"),
    ("mormon", "Mặc môn"),
    ("hieu_nghia_ta_lon", "Phật giáo Hiếu Nghĩa Tà Lơn"),
    ("buu_son_ky_huong", "Bửu Sơn Kỳ Hương"),
    (RELIGION_OTHER, "Khác"),
]
RELIGION_CHOICES: list[tuple[str, str]] = list(RELIGIONS)
_RELIGION_NAMES = dict(RELIGIONS)
_RELIGION_ALIASES: dict[str, str] = {
    "khongco": RELIGION_NONE,
    "khongtongiao": RELIGION_NONE,
    "phat": "buddhism",
    "thienchua": "catholic",
    "thienchuagiao": "catholic",
    "hoi": "islam",
    "tinhdocusiphathoivietnam": "tinh_do_cu_si",
    "tinhdocusyphathoi": "tinh_do_cu_si",
    "tinhdocusiphathoi": "tinh_do_cu_si",
    "cophuclam": "adventist",
    "minhlydao": "minh_ly",
}
_RELIGION_BY_KEY: dict[str, str] = {
    **_RELIGION_ALIASES,
    **{_key(name): code for code, name in RELIGIONS},
    **{_key(code): code for code, _name in RELIGIONS},
}


def religion_name(code: str) -> str | None:
    return _RELIGION_NAMES.get(code)


def religion_from_text(text: str) -> str | None:
    """'Thiên chúa giáo' → 'catholic', 'đạo Phật' → 'buddhism', 'không' → 'none'."""
    key = _key(text)
    if key in _RELIGION_BY_KEY:
        return _RELIGION_BY_KEY[key]
    for prefix in ("dao", "tongiao"):
        if key.startswith(prefix) and key[len(prefix) :] in _RELIGION_BY_KEY:
            return _RELIGION_BY_KEY[key[len(prefix) :]]
    return None


# --- Schooling and qualifications -------------------------------------------------------------

# The levels of the national education system (Law on Education 43/2019/QH14, art. 6):
# general education is primary, lower secondary and upper secondary; vocational training is
# elementary, intermediate and college; higher education is university, master's and doctorate.
EDUCATION_CHOICES: list[tuple[str, Promise]] = [
    ("none", _("No schooling")),
    ("primary", _("Primary")),
    ("lower_secondary", _("Lower secondary")),
    ("upper_secondary", _("Upper secondary")),
]
QUALIFICATION_CHOICES: list[tuple[str, Promise]] = [
    ("none", _("No professional training")),
    ("elementary", _("Elementary vocational")),
    ("intermediate", _("Intermediate vocational")),
    ("college", _("College")),
    ("university", _("University")),
    ("master", _("Master's degree")),
    ("doctor", _("Doctorate")),
]


# --- Sex --------------------------------------------------------------------------------------

MALE = "male"
FEMALE = "female"
SEX_CHOICES: list[tuple[str, Promise]] = [(MALE, _("Male")), (FEMALE, _("Female"))]
_SEX_BY_KEY = {"nam": MALE, "m": MALE, "male": MALE, "nu": FEMALE, "f": FEMALE, "female": FEMALE}


def sex_from_text(text: str) -> str | None:
    """'Nam'/'M'/'male' → 'male', 'Nữ'/'nu'/'F'/'female' → 'female'; anything else None."""
    return _SEX_BY_KEY.get(fold(text))


# --- CCCD (citizen identity number) -----------------------------------------------------------

# Digits 1-3 of a personal identification number: the province where the birth was registered
# (Circular 07/2016/TT-BCA, Appendix I, kept by Circular 59/2021/TT-BCA, art. 4). These are the
# 63 provinces before the 2025 reorganisation; numbers already issued keep them, and the 34
# provinces of today each kept the code of one of their predecessors.
CCCD_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

# Digit 4: century of birth and sex, even for men and odd for women (Circular 59/2021/TT-BCA,
# art. 4): 0/1 the 1900s, 2/3 the 2000s, 4/5 the 2100s, 6/7 the 2200s, 8/9 the 1800s.
_CCCD_CENTURY = {0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 1800}
_CCCD_STRIP = re.compile(r"[\s.]+")


def clean_cccd(text: str) -> str:
    """The number as stored: '020 190 001 234' and '020.190.001.234' → '020190001234'."""
    return _CCCD_STRIP.sub("", text)


def _cccd_digits(cccd: str) -> str | None:
    number = clean_cccd(cccd)
    return number if len(number) == 12 and number.isascii() and number.isdigit() else None


def cccd_birth_year(cccd: str) -> int | None:
    """The year of birth a CCCD number encodes (digits 4-6), None if it is not 12 digits."""
    number = _cccd_digits(cccd)
    if number is None:
        return None
    return _CCCD_CENTURY[int(number[3]) // 2] + int(number[4:6])


def cccd_sex(cccd: str) -> str | None:
    """'male' or 'female' as the CCCD number encodes it (digit 4), None if it is not 12 digits."""
    number = _cccd_digits(cccd)
    if number is None:
        return None
    return MALE if int(number[3]) % 2 == 0 else FEMALE


def validate_cccd(
    cccd: str, *, birth_date: datetime.date | None = None, sex: str | None = None
) -> str | None:
    """None when the number is well formed and agrees with the date of birth and sex given;
    otherwise the first problem found, as a message for the person who typed it."""
    number = clean_cccd(cccd)
    stray = next((c for c in number if not (c.isascii() and c.isdigit())), None)
    if stray is not None:
        return gettext("The CCCD number may contain only digits, but it contains “%(char)s”.") % {
            "char": stray
        }
    if len(number) == 9:
        return gettext(
            "The CCCD number must have 12 digits; this one has 9, like an old identity card "
            "(CMND) number."
        )
    if len(number) != 12:
        return gettext("The CCCD number must have exactly 12 digits (it has %(count)s).") % {
            "count": len(number)
        }
    if number[:3] not in CCCD_PROVINCE_CODES:
        return gettext("The CCCD number starts with %(code)s, which is not a province code.") % {
            "code": number[:3]
        }
    year = cccd_birth_year(number)
    assert year is not None
    if year > datetime.date.today().year:
        return gettext(
            "The CCCD number says the holder was born in %(year)s, which is in the future."
        ) % {"year": year}
    if birth_date is not None and birth_date.year != year:
        return gettext(
            "The CCCD number says the holder was born in %(year)s, but the date of birth is "
            "%(date)s."
        ) % {"year": year, "date": date_vi(birth_date)}
    if sex is not None and sex != cccd_sex(number):
        if sex == MALE:
            return gettext("The CCCD number is that of a woman, but the sex given is male.")
        if sex == FEMALE:
            return gettext("The CCCD number is that of a man, but the sex given is female.")
    return None


# --- Provinces and communes -------------------------------------------------------------------

# Today's 34 provinces and centrally-run cities (Resolution 202/2025/QH15, in force 1 July 2025),
# with the codes and names of the vietnam-provinces package; written out here so that choices
# are available without loading the package's 3,300 communes (about 50 ms).
_PROVINCES_BY_CODE: dict[int, str] = {
    1: "Thành phố Hà Nội",
    4: "Cao Bằng",
    8: "Tuyên Quang",
    11: "Điện Biên",
    12: "Lai Châu",
    14: "Sơn La",
    15: "Lào Cai",
    19: "Thái Nguyên",
    20: "Lạng Sơn",
    22: "Quảng Ninh",
    24: "Bắc Ninh",
    25: "Phú Thọ",
    31: "Thành phố Hải Phòng",
    33: "Hưng Yên",
    37: "Ninh Bình",
    38: "Thanh Hóa",
    40: "Nghệ An",
    42: "Hà Tĩnh",
    44: "Quảng Trị",
    46: "Thành phố Huế",
    48: "Thành phố Đà Nẵng",
    51: "Quảng Ngãi",
    52: "Gia Lai",
    56: "Khánh Hòa",
    66: "Đắk Lắk",
    68: "Lâm Đồng",
    75: "Đồng Nai",
    79: "Thành phố Hồ Chí Minh",
    80: "Tây Ninh",
    82: "Đồng Tháp",
    86: "Vĩnh Long",
    91: "An Giang",
    92: "Thành phố Cần Thơ",
    96: "Cà Mau",
}

# The province each of the 63 earlier provinces became part of on 1 July 2025 (Resolution
# 202/2025/QH15, art. 1), by the earlier code (as in CCCD_PROVINCE_CODES). Every earlier province
# went whole into one new one, so a hometown written under an old name has one answer today.
PROVINCE_SUCCESSORS: dict[str, int] = {
    "001": 1,
    "002": 8,
    "004": 4,
    "006": 19,
    "008": 8,
    "010": 15,
    "011": 11,
    "012": 12,
    "014": 14,
    "015": 15,
    "017": 25,
    "019": 19,
    "020": 20,
    "022": 22,
    "024": 24,
    "025": 25,
    "026": 25,
    "027": 24,
    "030": 31,
    "031": 31,
    "033": 33,
    "034": 33,
    "035": 37,
    "036": 37,
    "037": 37,
    "038": 38,
    "040": 40,
    "042": 42,
    "044": 44,
    "045": 44,
    "046": 46,
    "048": 48,
    "049": 48,
    "051": 51,
    "052": 52,
    "054": 66,
    "056": 56,
    "058": 56,
    "060": 68,
    "062": 51,
    "064": 52,
    "066": 66,
    "067": 68,
    "068": 68,
    "070": 75,
    "072": 80,
    "074": 79,
    "075": 75,
    "077": 79,
    "079": 79,
    "080": 80,
    "082": 82,
    "083": 86,
    "084": 86,
    "086": 86,
    "087": 82,
    "089": 91,
    "091": 91,
    "092": 92,
    "093": 92,
    "094": 92,
    "095": 96,
    "096": 96,
}

_CITY_PREFIX = "Thành phố "
_UNIT_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp.", "tp ")
_WARD_PREFIXES = ("Phường ", "Xã ", "Đặc khu ")


def _bare(name: str, prefixes: tuple[str, ...]) -> str:
    """The name without its kind of unit: 'Phường Hoàn Kiếm' → 'Hoàn Kiếm'."""
    for prefix in prefixes:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _unit_sort_key(name: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    # By the proper name, so 'Thành phố Hà Nội' sits under H and phường and xã are interleaved
    # alphabetically; the full name breaks ties ('Phường Tân An' before 'Xã Tân An').
    return sort_key(_bare(name, prefixes)), sort_key(name)


# Sorted by the proper name in Vietnamese alphabetical order.
PROVINCES: list[tuple[int, str]] = sorted(
    _PROVINCES_BY_CODE.items(), key=lambda item: _unit_sort_key(item[1], (_CITY_PREFIX,))
)

_PROVINCE_BY_KEY: dict[str, int] = {
    **{_key(old): PROVINCE_SUCCESSORS[code] for code, old in CCCD_PROVINCE_CODES.items()},
    **{_key(_bare(name, (_CITY_PREFIX,))): code for code, name in _PROVINCES_BY_CODE.items()},
    "hcm": 79,
    "tphcm": 79,
    "saigon": 79,
    "brvt": 79,
}


def province_name(code: int) -> str | None:
    return _PROVINCES_BY_CODE.get(code)


def province_from_text(text: str) -> int | None:
    """'TP Hồ Chí Minh', 'Thành phố Hồ Chí Minh', 'Hồ Chí Minh' → 79; 'tỉnh Lạng Sơn' → 20.

    A province that no longer exists gives the one it became part of ('Thái Bình' → Hưng Yên),
    since hometown and residence are recorded by today's units.
    """
    folded = fold(text)
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
            break
    return _PROVINCE_BY_KEY.get(_key(folded))


@functools.lru_cache(maxsize=1)
def _wards() -> dict[int, tuple[str, int]]:
    """Every commune, ward and special zone: code → (name, province code)."""
    # Imported here: the package builds all 3,300 units on import (about 50 ms).
    from vietnam_provinces import Ward

    return {int(w.code): (w.name, int(w.province_code)) for w in Ward.iter_all()}


@functools.lru_cache(maxsize=64)
def _wards_of(province_code: int) -> tuple[tuple[int, str], ...]:
    found = [(code, name) for code, (name, p) in _wards().items() if p == province_code]
    return tuple(sorted(found, key=lambda item: _unit_sort_key(item[1], _WARD_PREFIXES)))


def wards_of(province_code: int) -> list[tuple[int, str]]:
    """The communes, wards and special zones of a province, sorted by their proper names in
    Vietnamese order ('Phường Ba Đình' near 'Xã Ba Vì'); empty for an unknown province."""
    return list(_wards_of(province_code))


def ward_name(code: int) -> str | None:
    found = _wards().get(code)
    return found[0] if found else None


def ward_province(code: int) -> int | None:
    """The province a commune or ward belongs to, to check a pair typed or imported together."""
    found = _wards().get(code)
    return found[1] if found else None


def ward_from_text(province_code: int, text: str) -> int | None:
    """A commune of the province by name, with or without 'phường'/'xã': 'Hoàn Kiếm' and
    'phường Hoàn Kiếm' → 70 in Hà Nội; None if nothing or more than one unit matches."""
    full, bare = _ward_index(province_code)
    key = _key(text)
    found = full.get(key) or bare.get(key) or []
    return found[0] if len(found) == 1 else None


@functools.lru_cache(maxsize=64)
def _ward_index(province_code: int) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """A province's communes by key of their full names and of their bare names (imports look
    up two places a row, so this is built once per province rather than scanned each time)."""
    full: dict[str, list[int]] = {}
    bare: dict[str, list[int]] = {}
    for code, name in _wards_of(province_code):
        full.setdefault(_key(name), []).append(code)
        bare.setdefault(_key(_bare(name, _WARD_PREFIXES)), []).append(code)
    return full, bare
