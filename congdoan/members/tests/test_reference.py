"""Reference lists for member records: exact contents, text matching and CCCD checks."""

import datetime

import pytest
from django.utils import translation

from congdoan.core.text import sort_key
from congdoan.members import reference as ref
from congdoan.members.reference import (
    CCCD_PROVINCE_CODES,
    EDUCATION_CHOICES,
    ETHNIC_GROUPS,
    ETHNICITY_CHOICES,
    KINH,
    PROVINCE_SUCCESSORS,
    PROVINCES,
    QUALIFICATION_CHOICES,
    RELIGIONS,
    SEX_CHOICES,
    cccd_birth_year,
    cccd_sex,
    ethnicity_from_text,
    is_minority,
    province_from_text,
    province_name,
    religion_from_text,
    sex_from_text,
    validate_cccd,
    ward_from_text,
    ward_name,
    ward_province,
    wards_of,
)

D = datetime.date


# --- Ethnic groups ----------------------------------------------------------------------------


def test_fifty_four_ethnic_groups_numbered_01_to_54() -> None:
    assert len(ETHNIC_GROUPS) == 54
    assert [code for code, _name in ETHNIC_GROUPS] == [f"{n:02d}" for n in range(1, 55)]
    assert len({name for _code, name in ETHNIC_GROUPS}) == 54
    assert ETHNICITY_CHOICES == ETHNIC_GROUPS


def test_ethnic_group_spot_checks() -> None:
    groups = dict(ETHNIC_GROUPS)
    assert groups["01"] == "Kinh"
    assert groups["02"] == "Tày"
    assert groups["03"] == "Thái"
    assert groups["04"] == "Hoa"
    assert groups["05"] == "Khơ-me"
    assert groups["06"] == "Mường"
    assert groups["07"] == "Nùng"
    assert groups["08"] == "Hmông"
    assert groups["09"] == "Dao"
    assert groups["10"] == "Gia-rai"
    assert groups["11"] == "Ngái"
    assert groups["23"] == "Bru-Vân Kiều"
    assert groups["52"] == "Brâu"
    assert groups["53"] == "Ơ Đu"
    assert groups["54"] == "Rơ-măm"


def test_folded_names_are_distinct() -> None:
    """No two groups fold to the same key, so matching typed names is never ambiguous."""
    keys = {ref._key(name) for _code, name in ETHNIC_GROUPS}
    assert len(keys) == 54


def test_minorities() -> None:
    assert KINH == "01"
    assert not is_minority("01")
    assert is_minority("04")  # Hoa counts as a minority in union statistics
    assert is_minority("02")
    assert is_minority("54")
    assert not is_minority("55")
    assert not is_minority("")
    assert sum(is_minority(code) for code, _name in ETHNIC_GROUPS) == 53


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("kinh", "01"),
        ("KINH", "01"),
        ("Việt", "01"),
        ("tay", "02"),
        ("Tày", "02"),
        ("Thai", "03"),
        ("thái", "03"),
        ("Hoa", "04"),
        ("Khơ me", "05"),
        ("Khơ-me", "05"),
        ("Khmer", "05"),
        ("H'Mông", "08"),
        ("Mông", "08"),
        ("Hmong", "08"),
        ("Gia Rai", "10"),
        ("Ê Đê", "12"),
        ("ede", "12"),
        ("Ba Na", "13"),
        ("X'Tiêng", "22"),
        ("Bru - Vân Kiều", "23"),
        ("Giẻ Triêng", "27"),
        ("Tà Ôi", "31"),
        ("La Chi", "38"),
        ("Cờ Lao", "47"),
        ("Ơ-đu", "53"),
        ("Rơ Măm", "54"),
        ("dân tộc Tày", "02"),
        ("  người Mường ", "06"),
    ],
)
def test_ethnicity_from_text(text: str, code: str) -> None:
    assert ethnicity_from_text(text) == code


@pytest.mark.parametrize("text", ["", "Kinh Tày", "Việt Nam", "Mèo Đen", "Thổ Nhĩ Kỳ"])
def test_ethnicity_from_text_unknown(text: str) -> None:
    assert ethnicity_from_text(text) is None


def test_every_ethnic_name_matches_itself() -> None:
    assert all(ethnicity_from_text(name) == code for code, name in ETHNIC_GROUPS)


# --- Religions --------------------------------------------------------------------------------


def test_religions() -> None:
    codes = [code for code, _name in RELIGIONS]
    assert len(RELIGIONS) == 18  # none, the 16 recognised religions, other
    assert codes[0] == "none" and codes[-1] == "other"
    assert len(set(codes)) == 18
    assert len({name for _code, name in RELIGIONS}) == 18
    assert all(code.isascii() and len(code) <= 20 for code in codes)
    names = dict(RELIGIONS)
    assert names["none"] == "Không"
    assert names["buddhism"] == "Phật giáo"
    assert names["catholic"] == "Công giáo"
    assert names["protestant"] == "Tin lành"
    assert names["caodai"] == "Cao Đài"
    assert names["hoahao"] == "Phật giáo Hòa Hảo"
    assert names["islam"] == "Hồi giáo"
    assert names["other"] == "Khác"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Không", "none"),
        ("không", "none"),
        ("khong", "none"),
        ("Phật giáo", "buddhism"),
        ("Đạo Phật", "buddhism"),
        ("Công giáo", "catholic"),
        ("Thiên chúa giáo", "catholic"),
        ("Đạo Thiên Chúa", "catholic"),
        ("Tin Lành", "protestant"),
        ("Cao Đài", "caodai"),
        ("đạo Cao Đài", "caodai"),
        ("Hòa Hảo", "hoahao"),
        ("Phật giáo Hoà Hảo", "hoahao"),
        ("Hồi giáo", "islam"),
        ("Baha'i", "bahai"),
        ("Minh Lý đạo - Tam Tông Miếu", "minh_ly"),
        ("Bà La Môn", "brahmanism"),
        ("Khác", "other"),
    ],
)
def test_religion_from_text(text: str, code: str) -> None:
    assert religion_from_text(text) == code


def test_every_religion_name_matches_itself() -> None:
    assert all(religion_from_text(name) == code for code, name in RELIGIONS)
    assert religion_from_text("Thờ cúng tổ tiên") is None


# --- Schooling, qualifications, sex -----------------------------------------------------------


def test_education_and_qualification_choices() -> None:
    with translation.override("en"):
        assert [(c, str(label)) for c, label in EDUCATION_CHOICES] == [
            ("none", "No schooling"),
            ("primary", "Primary"),
            ("lower_secondary", "Lower secondary"),
            ("upper_secondary", "Upper secondary"),
        ]
        assert [c for c, _label in QUALIFICATION_CHOICES] == [
            "none",
            "elementary",
            "intermediate",
            "college",
            "university",
            "master",
            "doctor",
        ]
        assert str(dict(QUALIFICATION_CHOICES)["master"]) == "Master's degree"
        assert [(c, str(label)) for c, label in SEX_CHOICES] == [
            ("male", "Male"),
            ("female", "Female"),
        ]


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("Nam", "male"),
        ("nam", "male"),
        (" NAM ", "male"),
        ("M", "male"),
        ("male", "male"),
        ("Male", "male"),
        ("Nữ", "female"),
        ("nữ", "female"),
        ("nu", "female"),
        ("F", "female"),
        ("female", "female"),
        ("1", None),
        ("0", None),
        ("", None),
        ("Nam Định", None),
        ("x", None),
    ],
)
def test_sex_from_text(text: str, sex: str | None) -> None:
    assert sex_from_text(text) == sex


# --- CCCD -------------------------------------------------------------------------------------


def test_cccd_province_codes() -> None:
    assert len(CCCD_PROVINCE_CODES) == 63
    assert all(len(code) == 3 and code.isdigit() for code in CCCD_PROVINCE_CODES)
    assert CCCD_PROVINCE_CODES["001"] == "Hà Nội"
    assert CCCD_PROVINCE_CODES["002"] == "Hà Giang"
    assert CCCD_PROVINCE_CODES["004"] == "Cao Bằng"
    assert CCCD_PROVINCE_CODES["017"] == "Hòa Bình"
    assert CCCD_PROVINCE_CODES["020"] == "Lạng Sơn"
    assert CCCD_PROVINCE_CODES["034"] == "Thái Bình"
    assert CCCD_PROVINCE_CODES["044"] == "Quảng Bình"
    assert CCCD_PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert CCCD_PROVINCE_CODES["096"] == "Cà Mau"
    assert len(set(CCCD_PROVINCE_CODES.values())) == 63


@pytest.mark.parametrize(
    "cccd",
    [
        "020090001234",  # man born 1990 in Lạng Sơn
        "001150012345",  # woman born 1950 in Hà Nội
        "079203000001",  # man born 2003 in Hồ Chí Minh
        "096305999999",  # woman born 2005 in Cà Mau
        "020 090 001 234",
        "020.090.001.234",
        " 020090001234 ",
    ],
)
def test_valid_cccd(cccd: str) -> None:
    assert validate_cccd(cccd) is None


def test_cccd_agrees_with_date_of_birth_and_sex() -> None:
    assert validate_cccd("020090001234", birth_date=D(1990, 5, 17), sex="male") is None
    assert validate_cccd("001150012345", birth_date=D(1950, 1, 1), sex="female") is None
    assert validate_cccd("079203000001", birth_date=D(2003, 12, 31), sex="male") is None


@pytest.mark.parametrize(
    ("cccd", "kwargs", "message"),
    [
        ("", {}, "The CCCD number must have exactly 12 digits (it has 0)."),
        ("02009000123", {}, "The CCCD number must have exactly 12 digits (it has 11)."),
        ("0200900012345", {}, "The CCCD number must have exactly 12 digits (it has 13)."),
        (
            "020090001",
            {},
            "The CCCD number must have 12 digits; this one has 9, like an old identity card "
            "(CMND) number.",
        ),
        (
            "02009000123A",
            {},
            "The CCCD number may contain only digits, but it contains “A”.",
        ),
        (
            "020-090-001-234",
            {},
            "The CCCD number may contain only digits, but it contains “-”.",
        ),
        (
            "020090００1234",  # full-width digits
            {},
            "The CCCD number may contain only digits, but it contains “０”.",
        ),
        ("003090001234", {}, "The CCCD number starts with 003, which is not a province code."),
        ("097090001234", {}, "The CCCD number starts with 097, which is not a province code."),
        (
            "020490001234",
            {},
            "The CCCD number says the holder was born in 2190, which is in the future.",
        ),
        (
            "020090001234",
            {"birth_date": D(1991, 3, 4)},
            "The CCCD number says the holder was born in 1990, but the date of birth is "
            "04/03/1991.",
        ),
        (
            "020290001234",
            {"birth_date": D(1990, 3, 4)},
            "The CCCD number says the holder was born in 2090, which is in the future.",
        ),
        (
            "020203001234",
            {"birth_date": D(1903, 3, 4)},
            "The CCCD number says the holder was born in 2003, but the date of birth is "
            "04/03/1903.",
        ),
        (
            "020090001234",
            {"sex": "female"},
            "The CCCD number is that of a man, but the sex given is female.",
        ),
        (
            "020190001234",
            {"sex": "male"},
            "The CCCD number is that of a woman, but the sex given is male.",
        ),
    ],
)
def test_invalid_cccd(cccd: str, kwargs: dict[str, object], message: str) -> None:
    with translation.override("en"):
        assert validate_cccd(cccd, **kwargs) == message  # type: ignore[arg-type]


def test_cccd_checks_the_date_before_the_sex() -> None:
    with translation.override("en"):
        message = validate_cccd("020090001234", birth_date=D(1991, 1, 1), sex="female")
    assert message is not None and "born in 1990" in message


@pytest.mark.parametrize(
    ("digit", "year", "sex"),
    [
        ("0", 1990, "male"),
        ("1", 1990, "female"),
        ("2", 2090, "male"),
        ("3", 2090, "female"),
        ("4", 2190, "male"),
        ("5", 2190, "female"),
        ("6", 2290, "male"),
        ("7", 2290, "female"),
        ("8", 1890, "male"),
        ("9", 1890, "female"),
    ],
)
def test_cccd_century_and_sex_digit(digit: str, year: int, sex: str) -> None:
    cccd = f"020{digit}90001234"
    assert cccd_birth_year(cccd) == year
    assert cccd_sex(cccd) == sex


def test_cccd_helpers_on_malformed_numbers() -> None:
    assert cccd_birth_year("020 003 001 234") == 1903
    assert cccd_birth_year("020203001234") == 2003
    assert cccd_birth_year("12345") is None
    assert cccd_birth_year("02009000123X") is None
    assert cccd_sex("12345") is None


# --- Provinces and communes -------------------------------------------------------------------


def test_thirty_four_provinces_sorted_the_vietnamese_way() -> None:
    assert len(PROVINCES) == 34
    assert len({code for code, _name in PROVINCES}) == 34
    bare = [name.removeprefix("Thành phố ") for _code, name in PROVINCES]
    assert bare == sorted(bare, key=sort_key)
    assert bare[:4] == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng"]
    assert bare[-3:] == ["Thanh Hóa", "Tuyên Quang", "Vĩnh Long"]
    assert province_name(1) == "Thành phố Hà Nội"
    assert province_name(20) == "Lạng Sơn"
    assert province_name(17) is None  # Hòa Bình is now part of Phú Thọ


def test_provinces_match_the_vietnam_provinces_package() -> None:
    from vietnam_provinces import Province

    assert dict(PROVINCES) == {int(p.code): p.name for p in Province.iter_all()}


def test_every_former_province_has_a_successor_today() -> None:
    current = {code for code, _name in PROVINCES}
    assert set(PROVINCE_SUCCESSORS) == set(CCCD_PROVINCE_CODES)
    assert set(PROVINCE_SUCCESSORS.values()) == current
    # Each of today's provinces kept the code of one of the provinces merged into it.
    assert all(PROVINCE_SUCCESSORS[f"{code:03d}"] == code for code in current)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TP Hồ Chí Minh", 79),
        ("TP. Hồ Chí Minh", 79),
        ("Tp.HCM", 79),
        ("Thành phố Hồ Chí Minh", 79),
        ("Hồ Chí Minh", 79),
        ("ho chi minh", 79),
        ("tỉnh Lạng Sơn", 20),
        ("Tỉnh Lạng Sơn", 20),
        ("Lạng Sơn", 20),
        ("Hà Nội", 1),
        ("Thành phố Hà Nội", 1),
        ("Huế", 46),
        ("Thừa Thiên Huế", 46),
        ("Khánh Hoà", 56),
        ("Đắk Lắk", 66),
        ("Dak Lak", 66),
        # Provinces merged on 1 July 2025 give the province they joined.
        ("Hòa Bình", 25),
        ("tỉnh Thái Bình", 33),
        ("Quảng Bình", 44),
        ("Hà Giang", 8),
        ("Bà Rịa - Vũng Tàu", 79),
        ("Bình Dương", 79),
        ("Long An", 80),
        ("Kiên Giang", 91),
    ],
)
def test_province_from_text(text: str, code: int) -> None:
    assert province_from_text(text) == code


@pytest.mark.parametrize("text", ["", "Việt Nam", "Hà", "Thành phố", "Paris"])
def test_province_from_text_unknown(text: str) -> None:
    assert province_from_text(text) is None


def test_wards_of_a_province() -> None:
    wards = wards_of(20)
    assert len(wards) > 50
    assert all(ward_province(code) == 20 for code, _name in wards)
    names = [name for _code, name in wards]
    assert all(name.startswith(("Phường ", "Xã ", "Đặc khu ")) for name in names)
    bare = [
        name.removeprefix("Phường ").removeprefix("Xã ").removeprefix("Đặc khu ") for name in names
    ]
    assert bare == sorted(bare, key=sort_key)
    assert wards_of(17) == []
    assert wards_of(20) == wards  # a fresh list each time, from the cache
    assert wards_of(20) is not wards


def test_wards_are_cached() -> None:
    wards_of(1)
    info = ref._wards_of.cache_info()
    wards_of(1)
    assert ref._wards_of.cache_info().hits == info.hits + 1


def test_ward_lookups() -> None:
    assert ward_name(70) == "Phường Hoàn Kiếm"
    assert ward_province(70) == 1
    assert ward_name(-1) is None
    assert ward_province(-1) is None
    assert ward_from_text(1, "Hoàn Kiếm") == 70
    assert ward_from_text(1, "phường hoàn kiếm") == 70
    assert ward_from_text(20, "Hoàn Kiếm") is None
    assert ward_from_text(1, "") is None
