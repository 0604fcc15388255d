"""The demo's initiatives, from seed 003 (see SEED-FIGURES.md): LĐLĐ tỉnh Quảng Bình's programme
"1 triệu sáng kiến" (01/09/2021 - 01/09/2023) with a target of 4.000 initiatives, split among its
direct sub-units; by 28/12/2022, 5.265 initiatives had been submitted by its grassroots unions,
"vượt 31% chỉ tiêu".

The programme and its targets go through the services. The 5.265 initiatives are written in
bulk, each one the services would accept (authors are active members of its union, shares add
up to 100, dates inside the programme, decisions after submission and not after 28/12/2022);
one audit event records the batch.
"""

import datetime
import random

from congdoan.core import bulk
from congdoan.core.audit import audit_record
from congdoan.core.text import fold
from congdoan.initiatives import services
from congdoan.initiatives.models import (
    Initiative,
    InitiativeAuthor,
    InitiativeField,
    InitiativeProgramme,
    InitiativeStatus,
)
from congdoan.members.models import Member, MemberStatus
from congdoan.org.models import Level, Unit

D = datetime.date
QB_SUBMITTED = 5_265
QB_TARGET = 4_000
# The province's target split among its direct sub-units (they add up to the province's).
QB_SPLIT = {"QB-DH": 1_000, "QB-BT": 800, "QB-QT": 800, "QB-LT": 800, "QB-GD": 600}
AS_OF = D(2022, 12, 28)  # the date the seed quotes the figure

_ACTIONS = [
    "Cải tiến",
    "Hợp lý hóa",
    "Giải pháp nâng cao hiệu quả",
    "Ứng dụng công nghệ số vào",
    "Tiết kiệm chi phí trong",
    "Đổi mới quy trình",
    "Số hóa",
    "Giải pháp an toàn cho",
]
_OBJECTS = {
    InitiativeField.TECHNICAL: ["hệ thống băng tải", "dây chuyền đóng gói", "máy nghiền clinker",
                                "tủ điện điều khiển", "hệ thống làm mát", "lò sấy gỗ"],
    InitiativeField.MANAGEMENT: ["quản lý hồ sơ", "theo dõi vật tư", "chấm công",
                                 "quản lý văn bản đến, đi", "lập kế hoạch sản xuất"],
    InitiativeField.PRODUCTION: ["khâu cắt may", "khâu phối liệu", "khâu chế biến hải sản",
                                 "khâu sơ chế nguyên liệu", "khâu kiểm tra chất lượng"],
    InitiativeField.SERVICE: ["tiếp nhận hồ sơ một cửa", "chăm sóc khách hàng",
                              "thu phí dịch vụ", "giải quyết phản ánh của người dân"],
    InitiativeField.EDUCATION: ["dạy học môn Toán", "giảng dạy Tiếng Anh", "ôn thi tốt nghiệp",
                                "giáo dục kỹ năng sống", "dạy học trực tuyến"],
    InitiativeField.OTHER: ["phòng chống cháy nổ", "vệ sinh môi trường",
                            "hoạt động công đoàn cơ sở"],
}  # fmt: skip
_FIELD_WEIGHTS = [
    (InitiativeField.TECHNICAL, 30), (InitiativeField.MANAGEMENT, 18),
    (InitiativeField.PRODUCTION, 22), (InitiativeField.SERVICE, 10),
    (InitiativeField.EDUCATION, 15), (InitiativeField.OTHER, 5),
]  # fmt: skip


def _spread(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def quang_binh_programme(rng: random.Random) -> None:
    qb = Unit.objects.get(code="QB")
    programme = services.programme_create(
        actor=None, unit=qb, is_demo=True,
        data=services.ProgrammeData(
            name="1 triệu sáng kiến", start=D(2021, 9, 1), end=D(2023, 9, 1),
            description="Phong trào thi đua “Mỗi đoàn viên, người lao động có ít nhất một sáng "
                        "kiến”, phát động theo chương trình “1 triệu sáng kiến” của Tổng Liên "
                        "đoàn, hướng tới Đại hội Công đoàn các cấp.",
        ),
    )  # fmt: skip
    children = {u.code: u.pk for u in Unit.objects.filter(code__in=list(QB_SPLIT))}
    services.targets_set(
        actor=None, programme=programme,
        targets={qb.pk: QB_TARGET, **{children[c]: n for c, n in QB_SPLIT.items()}},
    )  # fmt: skip
    _record(rng, programme, qb)


def _record(rng: random.Random, programme: InitiativeProgramme, qb: Unit) -> None:
    """5.265 initiatives of QB's grassroots unions, in bulk."""
    unions = {
        u.pk: u
        for u in Unit.objects.filter(
            path__startswith=qb.path, level=Level.GRASSROOTS, founded_on__lt=programme.start
        )
    }
    members: dict[int, list[Member]] = {}
    for m in Member.objects.filter(unit_id__in=list(unions), status=MemberStatus.ACTIVE).order_by(
        "pk"
    ):
        members.setdefault(m.unit_id, []).append(m)
    with_members = sorted(members, key=lambda pk: unions[pk].code)
    fields, weights = zip(*_FIELD_WEIGHTS, strict=True)
    rows: list[Initiative] = []
    authors: list[InitiativeAuthor] = []
    for n in range(QB_SUBMITTED):
        unit = unions[with_members[n % len(with_members)]]
        kind = rng.choices(fields, weights)[0]
        place = unit.short_name or unit.name
        title = f"{rng.choice(_ACTIONS)} {rng.choice(_OBJECTS[kind])} tại {place}"
        day = _spread(rng, programme.start, AS_OF)
        value = (
            rng.choice([0, 0, 5, 10, 20, 30, 50, 80, 120, 200]) * 1_000_000
            + rng.randint(0, 9) * 100_000
        )
        row = Initiative(
            programme=programme, unit=unit, title=title, title_key=fold(title), field=kind,
            value_vnd=value, submitted_on=day, is_demo=True,
        )  # fmt: skip
        decided = day + datetime.timedelta(days=rng.randint(20, 120))
        luck = rng.random()
        if decided <= AS_OF and luck < 0.72:
            row.status = InitiativeStatus.RECOGNISED
            row.decided_on = decided
            row.decision_ref = f"{rng.randint(1, 400)}/QĐ-HĐSK"
            if rng.random() < 0.6:
                row.on_portal = True
                row.portal_on = min(decided + datetime.timedelta(days=rng.randint(1, 30)), AS_OF)
        elif decided <= AS_OF and luck < 0.78:
            row.status = InitiativeStatus.NOT_RECOGNISED
            row.decided_on = decided
            row.council_comment = "Chưa chứng minh được hiệu quả áp dụng thực tế."
        rows.append(row)
        pool = members[unit.pk]
        chosen = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 1, 2, 2, 3])))
        shares = services.split_shares(len(chosen))
        authors.extend(
            InitiativeAuthor(initiative=row, member=m, order=i, share_pct=s)
            for i, (m, s) in enumerate(zip(chosen, shares, strict=True), start=1)
        )
        if rng.random() < 0.05:
            row.co_authors = "Kỹ sư tư vấn của nhà cung cấp thiết bị"
    bulk.create_many(rows)
    for a in authors:
        a.initiative_id = a.initiative.pk
    bulk.create_many(authors)
    audit_record(
        actor=None, action="initiative.bulk", target=programme, unit_id=qb.pk,
        changes={"count": [None, len(rows)]},
        summary="Dữ liệu mẫu: sáng kiến của các CĐCS tỉnh Quảng Bình đến 28/12/2022",
    )  # fmt: skip


def record_initiatives() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
    if InitiativeProgramme.objects.filter(is_demo=True).exists():
        return
    quang_binh_programme(random.Random(1_000_000))
