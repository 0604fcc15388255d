"""The demo federation's organisation tree, shaped after the seed reports.

Names of provinces and their real districts are public; every enterprise, school and agency
is invented and flagged `is_demo`. The history is real history in the product's own terms:
units founded on dates, two dissolved in 2020, the district federation of seed 001 dissolved in
the 2025 reorganisation with its grassroots unions moved to commune unions by one plan.
"""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from congdoan.org import services
from congdoan.org.models import Kind, Ownership, Unit

D = datetime.date
SYSTEM = None  # demo changes are recorded as made by the system

_ENTERPRISE_PREFIX = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Hợp tác xã"]
_ENTERPRISE_TRADE = [
    "May mặc",
    "Gạch Tuynel",
    "Chế biến nông sản",
    "Xây dựng",
    "Vận tải",
    "Giày da",
    "Thực phẩm",
    "Cơ khí",
    "Điện tử",
    "Dệt",
    "Gỗ nội thất",
    "Vật liệu xây dựng",
    "Thương mại",
    "Thủy sản",
    "Du lịch",
    "Dược phẩm",
    "Bao bì",
    "Môi trường đô thị",
    "Cấp thoát nước",
]
_ENTERPRISE_NAME = [
    "Hưng Phát",
    "Thành Công",
    "Phú An",
    "Minh Long",
    "Hòa Bình",
    "Đại Việt",
    "Tân Tiến",
    "An Khang",
    "Việt Hưng",
    "Quang Minh",
    "Hồng Hà",
    "Nam Sơn",
    "Bình Minh",
    "Thịnh Vượng",
    "Trường Giang",
    "Kim Ngân",
    "Đông Á",
    "Sao Mai",
    "Hải Đăng",
    "Phúc Lộc",
    "Trung Kiên",
]
_COMMUNES = [
    "Quang Trung",
    "Lê Lợi",
    "Hoàng Văn Thụ",
    "Tân Thành",
    "Hòa Lạc",
    "Bình Trung",
    "Yên Phúc",
    "Xuân Lạc",
    "Đồng Tâm",
    "Minh Khai",
    "Thống Nhất",
    "Hợp Thành",
    "Tân Lập",
    "Vĩnh Yên",
    "Thanh Sơn",
    "Hồng Phong",
    "Tân Hòa",
    "Đại Đồng",
    "Chiến Thắng",
    "Cao Minh",
]
_SECTORS = [
    "Dệt may",
    "Xây dựng",
    "Chế biến",
    "Cơ khí",
    "Thương mại, dịch vụ",
    "Giáo dục",
    "Y tế",
    "Hành chính",
]


@dataclass
class Namer:
    rng: random.Random
    used: set[str]

    def enterprise(self) -> str:
        while True:
            name = (
                f"{self.rng.choice(_ENTERPRISE_PREFIX)} {self.rng.choice(_ENTERPRISE_TRADE)} "
                f"{self.rng.choice(_ENTERPRISE_NAME)}"
            )
            if name not in self.used:
                self.used.add(name)
                return name

    def agency(self, place: str) -> str:
        kinds = [
            f"Trường Tiểu học {self.rng.choice(_COMMUNES)}",
            f"Trường THCS {self.rng.choice(_COMMUNES)}",
            f"Trường Mầm non {self.rng.choice(_COMMUNES)}",
            f"Trạm Y tế xã {self.rng.choice(_COMMUNES)}",
            f"UBND xã {self.rng.choice(_COMMUNES)}",
            f"Trường THPT {self.rng.choice(_COMMUNES)}",
        ]
        while True:
            name = f"{self.rng.choice(kinds)} ({place})"
            if name not in self.used:
                self.used.add(name)
                return name
            kinds.append(f"{self.rng.choice(kinds)} số {len(self.used) % 9 + 2}")


class DemoTree:
    """Builds the tree; every write goes through the org services, like a user's would."""

    def __init__(self, seed: int = 2020) -> None:
        self.rng = random.Random(seed)
        self.names = Namer(self.rng, set())
        self.tax_seq = 100000000

    def _tax_code(self) -> str:
        self.tax_seq += self.rng.randint(1, 97)
        return f"{self.tax_seq:010d}"

    def unit(
        self,
        parent: Unit | None,
        code: str,
        name: str,
        kind: Kind,
        founded: datetime.date,
        short_name: str = "",
        employer: dict[str, Any] | None = None,
    ) -> Unit:
        return services.unit_create(
            actor=SYSTEM,
            parent=parent,
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            founded_on=founded,
            founded_decision=f"{self.rng.randint(10, 899)}/QĐ-CĐ",
            employer=employer,
            is_demo=True,
        )

    def grassroots(
        self,
        parent: Unit,
        code: str,
        founded: datetime.date,
        place: str,
        *,
        agency: bool = False,
        small: bool = False,
    ) -> Unit:
        if agency:
            name = self.names.agency(place)
            kind = Kind.SCHOOL if name.startswith("Trường") else Kind.AGENCY
            employer = {
                "name": name,
                "ownership": Ownership.PUBLIC,
                "sector": "Giáo dục" if kind == Kind.SCHOOL else "Hành chính",
                "workforce": self.rng.randint(12, 90),
                "address": place,
            }
            return self.unit(
                parent, code, f"Công đoàn cơ sở {name}", kind, founded, employer=employer
            )
        name = self.names.enterprise()
        employer = {
            "name": name,
            "tax_code": self._tax_code(),
            "ownership": self.rng.choice(
                [Ownership.PRIVATE] * 4 + [Ownership.FDI, Ownership.STATE]
            ),
            "sector": self.rng.choice(_SECTORS[:5]),
            "workforce": self.rng.randint(8, 60) if small else self.rng.randint(10, 1200),
            "address": place,
        }
        return self.unit(
            parent, code, f"Công đoàn cơ sở {name}", Kind.ENTERPRISE, founded, employer=employer
        )

    def founded(self, start: int, end: int) -> datetime.date:
        return D(self.rng.randint(start, end), self.rng.randint(1, 12), self.rng.randint(1, 28))


def build_tree() -> dict[str, Unit]:
    """Create the demo tree and its history; returns the units the seeds talk about, by key."""
    t = DemoTree()
    keys: dict[str, Unit] = {}
    tld = t.unit(
        None,
        "TLD",
        "Tổng Liên đoàn Lao động Việt Nam",
        Kind.CONFEDERATION,
        D(1929, 7, 28),
        short_name="TLĐ",
    )
    keys["central"] = tld

    # Seed 000: LĐLĐ tỉnh Thái Bình, districts and an industrial-zone union, many enterprises.
    tb = t.unit(
        tld,
        "TB",
        "Liên đoàn Lao động tỉnh Thái Bình",
        Kind.PROVINCIAL_FEDERATION,
        D(1950, 1, 1),
        short_name="LĐLĐ tỉnh Thái Bình",
    )
    keys["thai_binh"] = tb
    for code, place in [
        ("HH", "Hưng Hà"),
        ("DH", "Đông Hưng"),
        ("VT", "Vũ Thư"),
        ("TP", "Thành phố Thái Bình"),
    ]:
        kind = Kind.DISTRICT_FEDERATION
        label = "thành phố" if place.startswith("Thành phố") else "huyện"
        name = place.replace("Thành phố ", "")
        d = t.unit(
            tb,
            f"TB-{code}",
            f"Liên đoàn Lao động {label} {name}",
            kind,
            D(1976, 3, 1),
            short_name=f"LĐLĐ {label} {name}",
        )
        for i in range(1, 13):
            t.grassroots(
                d, f"TB-{code}-{i:03d}", t.founded(1995, 2018), f"{place}, Thái Bình", agency=i > 8
            )
    kcn = t.unit(
        tb,
        "TB-KCN",
        "Công đoàn các Khu công nghiệp tỉnh Thái Bình",
        Kind.INDUSTRIAL_ZONE,
        D(2005, 6, 1),
        short_name="CĐ các KCN Thái Bình",
    )
    for i in range(1, 21):
        t.grassroots(kcn, f"TB-KCN-{i:03d}", t.founded(2006, 2019), "KCN Phúc Khánh, Thái Bình")

    # Seed 001: a district federation of Lạng Sơn with 124 grassroots unions on 31/12/2020.
    ls = t.unit(
        tld,
        "LS",
        "Liên đoàn Lao động tỉnh Lạng Sơn",
        Kind.PROVINCIAL_FEDERATION,
        D(1950, 1, 1),
        short_name="LĐLĐ tỉnh Lạng Sơn",
    )
    keys["lang_son"] = ls
    district = t.unit(
        ls,
        "LS-MS",
        "Liên đoàn Lao động huyện Mẫu Sơn (mẫu)",
        Kind.DISTRICT_FEDERATION,
        D(1978, 5, 1),
        short_name="LĐLĐ huyện Mẫu Sơn",
    )
    keys["district_001"] = district
    grassroots = [
        t.grassroots(
            district,
            f"LS-MS-{i:03d}",
            t.founded(1990, 2019),
            "huyện Mẫu Sơn, Lạng Sơn",
            agency=i % 3 != 0,
            small=True,
        )
        for i in range(1, 127)
    ]
    # Two dissolved during 2020 (enterprises closed), leaving 124 at the year-end review.
    for i, day in ((40, D(2020, 6, 30)), (85, D(2020, 10, 15))):
        services.unit_dissolve(
            actor=SYSTEM, unit=grassroots[i], effective_on=day, decision_ref=f"{i + 100}/QĐ-LĐLĐ"
        )
    # Three founded in 2021, after the review.
    for i in range(127, 130):
        grassroots.append(
            t.grassroots(
                district,
                f"LS-MS-{i:03d}",
                D(2021, 3, i - 120),
                "huyện Mẫu Sơn, Lạng Sơn",
                small=True,
            )
        )
    keys["district_001_grassroots"] = grassroots[0]

    # Seed 002: a province whose grassroots unions sit in 10 emulation blocs.
    nt = t.unit(
        tld,
        "NT",
        "Liên đoàn Lao động tỉnh Nam Trung (mẫu)",
        Kind.PROVINCIAL_FEDERATION,
        D(1976, 1, 1),
        short_name="LĐLĐ tỉnh Nam Trung",
    )
    keys["province_002"] = nt
    for i in range(1, 61):
        t.grassroots(nt, f"NT-{i:03d}", t.founded(2000, 2019), "tỉnh Nam Trung", agency=i > 40)
    for code, name in [("TP", "thành phố Nam Trung"), ("BA", "huyện Bắc Ái")]:
        d = t.unit(
            nt, f"NT-{code}", f"Liên đoàn Lao động {name}", Kind.DISTRICT_FEDERATION, D(1980, 1, 1)
        )
        for i in range(1, 9):
            t.grassroots(d, f"NT-{code}-{i:03d}", t.founded(2000, 2019), name, agency=i > 4)

    # Seed 003: LĐLĐ tỉnh Quảng Bình.
    qb = t.unit(
        tld,
        "QB",
        "Liên đoàn Lao động tỉnh Quảng Bình",
        Kind.PROVINCIAL_FEDERATION,
        D(1989, 7, 1),
        short_name="LĐLĐ tỉnh Quảng Bình",
    )
    keys["quang_binh"] = qb
    for code, place in [
        ("DH", "Đồng Hới"),
        ("BT", "Bố Trạch"),
        ("QT", "Quảng Trạch"),
        ("LT", "Lệ Thủy"),
    ]:
        label = "thành phố" if code == "DH" else "huyện"
        d = t.unit(
            qb,
            f"QB-{code}",
            f"Liên đoàn Lao động {label} {place}",
            Kind.DISTRICT_FEDERATION,
            D(1990, 1, 1),
            short_name=f"LĐLĐ {label} {place}",
        )
        for i in range(1, 16):
            t.grassroots(
                d, f"QB-{code}-{i:03d}", t.founded(1995, 2019), f"{place}, Quảng Bình", agency=i > 9
            )
    qb_sector = t.unit(
        qb,
        "QB-GD",
        "Công đoàn ngành Giáo dục tỉnh Quảng Bình",
        Kind.LOCAL_SECTOR,
        D(1990, 1, 1),
        short_name="CĐ ngành Giáo dục Quảng Bình",
    )
    for i in range(1, 11):
        t.grassroots(qb_sector, f"QB-GD-{i:03d}", t.founded(1995, 2019), "Quảng Bình", agency=True)

    # Seed 004: Công đoàn viên chức tỉnh Hòa Bình, under LĐLĐ tỉnh Hòa Bình.
    hb = t.unit(
        tld,
        "HB",
        "Liên đoàn Lao động tỉnh Hòa Bình",
        Kind.PROVINCIAL_FEDERATION,
        D(1991, 10, 1),
        short_name="LĐLĐ tỉnh Hòa Bình",
    )
    keys["hoa_binh"] = hb
    vc = t.unit(
        hb,
        "HB-VC",
        "Công đoàn Viên chức tỉnh Hòa Bình",
        Kind.PUBLIC_SERVANTS,
        D(2008, 1, 1),
        short_name="CĐ Viên chức tỉnh Hòa Bình",
    )
    keys["public_servants_004"] = vc
    for i in range(1, 31):
        g = t.grassroots(vc, f"HB-VC-{i:03d}", t.founded(2008, 2019), "tỉnh Hòa Bình", agency=True)
        if i <= 2:
            for j, team in enumerate(["Tổ công đoàn Văn phòng", "Tổ công đoàn Chuyên môn"], 1):
                t.unit(g, f"{g.code}-T{j}", team, Kind.GROUP, g.founded_on)

    # The 2025 reorganisation: the Mẫu Sơn district federation is dissolved; its grassroots
    # unions go to three new commune unions by one decision, effective 01/07/2025.
    communes = [
        t.unit(ls, f"LS-X{i}", f"Công đoàn xã {name} (mẫu)", Kind.COMMUNE, D(2025, 7, 1))
        for i, name in enumerate(["Mẫu Sơn", "Công Sơn", "Xuất Lễ"], 1)
    ]
    keys["communes_2025"] = communes[0]
    active = list(Unit.objects.filter(parent=district, status="active").order_by("code"))
    for n, unit in enumerate(active):
        services.unit_move(
            actor=SYSTEM,
            unit=unit,
            new_parent=communes[n % 3],
            effective_on=D(2025, 7, 1),
            decision_ref="1560/QĐ-LĐLĐ",
        )
    services.unit_dissolve(
        actor=SYSTEM, unit=district, effective_on=D(2025, 7, 1), decision_ref="1560/QĐ-LĐLĐ"
    )
    return keys
