"""Plausible Vietnamese people for demo and synthetic data: names, birth dates, ethnicity.

Frequencies are rough (the most common family names first, as population surveys report);
names are drawn at random, so any resemblance to a real person is chance.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from congdoan.members.reference import CCCD_PROVINCE_CODES

FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Võ", 3.5),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Đinh", 0.6),
    ("Trịnh", 0.5),
    ("Lương", 0.5),
    ("Mai", 0.4),
    ("Cao", 0.4),
    ("Đào", 0.4),
    ("Tạ", 0.3),
    ("Vương", 0.2),
]
# Families common among the Tày, Nùng and Dao of the northern mountains (Lạng Sơn, Cao Bằng).
FAMILY_NORTH = [
    ("Hoàng", 10),
    ("Nông", 8),
    ("Lương", 6),
    ("Vi", 5),
    ("Lăng", 4),
    ("Hà", 4),
    ("Chu", 3),
    ("Triệu", 3),
    ("Mã", 2),
    ("Lộc", 2),
    ("Hứa", 2),
    ("Dương", 2),
    ("Nguyễn", 6),
    ("Lý", 3),
]
MIDDLE_MALE = [
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Thanh",
    "Công",
    "Xuân",
    "Đình",
    "Ngọc",
    "Tiến",
    "Mạnh",
    "Trung",
    "Hoàng",
    "Anh",
]
MIDDLE_FEMALE = [
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Kim",
    "Minh",
    "Phương",
    "Mai",
    "Hồng",
    "Thuỳ",
    "Bích",
    "Diệu",
]
GIVEN_MALE = [
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Chiến",
    "Dũng",
    "Duy",
    "Đạt",
    "Đức",
    "Giang",
    "Hải",
    "Hiếu",
    "Hoà",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Lực",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quang",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
]
GIVEN_FEMALE = [
    "An",
    "Anh",
    "Ánh",
    "Bích",
    "Chi",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Huệ",
    "Hương",
    "Huyền",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thơm",
    "Thu",
    "Thuý",
    "Thủy",
    "Trang",
    "Trinh",
    "Tuyết",
    "Vân",
    "Xuân",
    "Yến",
]
# Ethnic mixes (code, weight): the country as a whole, and a northern mountain district.
ETHNIC_COUNTRY = [
    ("01", 85),
    ("02", 2),
    ("03", 2),
    ("04", 1),
    ("05", 1.5),
    ("06", 1.5),
    ("07", 1.2),
    ("08", 1.2),
    ("09", 0.9),
    ("10", 0.5),
]
ETHNIC_NORTH = [("07", 42), ("02", 35), ("01", 16), ("09", 4), ("04", 1), ("08", 1)]
# First three digits of a CCCD: province of birth registration (Circular 59/2021/TT-BCA).
CCCD_PROVINCES = ["001", "020", "034", "044", "017", "079", "038", "040", "036", "074"]


@dataclass(frozen=True)
class Person:
    full_name: str
    sex: str
    birth_date: datetime.date
    ethnicity: str
    cccd: str


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights=weights)[0]


def person(
    rng: random.Random,
    *,
    born_from: int = 1965,
    born_to: int = 2003,
    north: bool = False,
    female_share: float = 0.55,
    cccd_province: str | None = None,
    serial: int | None = None,
) -> Person:
    """A random person; the CCCD number agrees with the birth date and sex, and is unique
    when each person gets their own `serial` (up to 63 million)."""
    sex = "female" if rng.random() < female_share else "male"
    family = _pick(rng, FAMILY_NORTH if north else FAMILY)
    middle = rng.choice(MIDDLE_FEMALE if sex == "female" else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if sex == "female" else GIVEN_MALE)
    birth = datetime.date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    ethnicity = _pick(rng, ETHNIC_NORTH if north else ETHNIC_COUNTRY)
    century = 0 if birth.year < 2000 else 2
    sex_digit = century + (1 if sex == "female" else 0)
    if serial is not None:
        codes = sorted(CCCD_PROVINCE_CODES)
        province = codes[(serial // 1_000_000) % len(codes)]
        tail = serial % 1_000_000
    else:
        province = cccd_province or rng.choice(CCCD_PROVINCES)
        tail = rng.randint(0, 999999)
    cccd = f"{province}{sex_digit}{birth.year % 100:02d}{tail:06d}"
    return Person(f"{family} {middle} {given}", sex, birth, ethnicity, cccd)
