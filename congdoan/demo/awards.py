"""The demo's awards data, from the seeds (see SEED-FIGURES.md).

Seed 001: for the emulation year 2020, the chair of LĐLĐ tỉnh Lạng Sơn gave Bằng khen to 1
collective and 4 individuals of the Mẫu Sơn district, and the chair of the district federation
gave Giấy khen to 6 collectives and 10 individuals (proposed, reviewed by the district's council,
then decided), all dated by the conference of 14/01/2021. Seed 003: the Cờ thi đua of TLĐ to
LĐLĐ tỉnh Quảng Bình and one member with the Prime Minister's Bằng khen in 2022. Seed 000: the
awards handed out at the Thái Bình conference of 15/01/2021. Signers' names are invented.
"""

import datetime

from congdoan.awards import eligibility, services
from congdoan.awards.models import AwardDecision, AwardForm
from congdoan.members.models import Member, MemberStatus
from congdoan.org.models import Unit

D = datetime.date
# Paper decisions recorded after the fact whose recipients fail a rule the system cannot know
# was met: the conditions were checked on paper then. Each says what was checked on paper.
GRADED_ON_PAPER = (
    "Xếp loại năm %(year)s được cấp trên phê duyệt trên hồ sơ giấy, trước khi dùng hệ thống; "
    "ghi lại quyết định đã ban hành (dữ liệu mẫu)"
)
PROVINCE_FLAG = (
    "Cờ thi đua của Tổng Liên đoàn xét cho LĐLĐ tỉnh theo kết quả cụm thi đua của các LĐLĐ "
    "tỉnh, không theo bảng điểm CĐCS (dữ liệu mẫu)"
)
EARLIER_ON_PAPER = (
    "Bằng khen của Tổng Liên đoàn năm 2019 có trong hồ sơ đề nghị (bản giấy), chưa nhập vào hệ "
    "thống (dữ liệu mẫu)"
)


def _form(code: str) -> AwardForm:
    return AwardForm.objects.get(code=code)


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _members(unit_codes: list[str], per_unit: int, year: int) -> list[Member]:
    """The first active members (in name order) of each union who had been members for the
    whole emulation year `year`, `per_unit` from each."""
    found: list[Member] = []
    for code in unit_codes:
        found.extend(
            Member.objects.filter(
                unit__code=code, status=MemberStatus.ACTIVE, joined_on__lt=D(year, 1, 1)
            ).order_by("sort_key", "id")[:per_unit]
        )
    return found


def _reason(decision: AwardDecision, reason: str, **who: Unit | Member) -> str:
    """`reason` when the recipient fails a rule of the form, else none."""
    found = eligibility.failures(
        eligibility.Nominated(form=decision.form, year=decision.year, **who)  # type: ignore[arg-type]
    )
    return reason % {"year": decision.year} if found else ""


def _decision(
    *,
    unit: Unit,
    form: str,
    year: int,
    number: str,
    date: datetime.date,
    signer: str,
    position: str = "CHỦ TỊCH",
    on_behalf: str = "",
    issuer: str = "",
    units: list[Unit] = (),  # type: ignore[assignment]
    members: list[Member] = (),  # type: ignore[assignment]
    reason: str = "",
) -> AwardDecision:
    """A decision recorded directly with its recipients, then issued; a recipient who fails a
    rule of the form is recorded with `reason` (none given: every recipient must pass)."""
    decision = services.decision_create(
        actor=None,
        unit=unit,
        form=_form(form),
        year=year,
        number=number,
        date=date,
        signer=signer,
        signer_position=position,
        on_behalf=on_behalf,
        issuer=issuer,
        is_demo=True,
    )
    for u in units:
        services.recipient_add(
            actor=None, decision=decision, unit=u, override_reason=_reason(decision, reason, unit=u)
        )
    for m in members:
        services.recipient_add(
            actor=None,
            decision=decision,
            member=m,
            override_reason=_reason(decision, reason, member=m),
        )
    return services.decision_issue(actor=None, decision=decision)


def lang_son_2020() -> None:
    """Seed 001. Grading gives HTXSNV for 2020 to the first seven unions of the district by
    code; the collectives are chosen among them, the individuals from their rosters. The four
    individuals with the provincial Bằng khen had the district's Giấy khen for 2019 (handed
    out at its review of 26/12/2019), as the Bằng khen requires: every recipient meets the
    forms' rules, no override."""
    ls, district = _unit("LS"), _unit("LS-MS")
    first_seven = [f"LS-MS-{i:03d}" for i in range(1, 8)]
    bang_khen = _members(first_seven[1:5], 1, 2020)
    _decision(
        unit=district,
        form="gk-cong-doan-cap-tren",
        year=2019,
        number="41/QĐ-LĐLĐ",
        date=D(2019, 12, 26),
        signer="Lương Văn Hùng",
        members=bang_khen,
    )
    _decision(
        unit=ls,
        form="bk-ldld-tinh",
        year=2020,
        number="15/QĐ-LĐLĐ",
        date=D(2021, 1, 14),
        signer="Hoàng Văn Thắng",
        units=[_unit(first_seven[0])],
        members=bang_khen,
    )
    # The Giấy khen went through the whole procedure: a proposal of the district's standing
    # committee, the review of its emulation council, then the decision.
    batch = services.batch_create(
        actor=None,
        unit=district,
        form=_form("gk-cong-doan-cap-tren"),
        year=2020,
        date=D(2021, 1, 5),
        number="02/TTr-LĐLĐ",
        note="Đề nghị khen thưởng tổng kết phong trào thi đua năm 2020.",
    )
    collectives = [_unit(code) for code in first_seven[1:7]]
    individuals = _members(first_seven, 2, 2020)[:10]
    for u in collectives:
        services.nominee_add(
            actor=None,
            batch=batch,
            unit=u,
            achievements="Hoàn thành xuất sắc nhiệm vụ công tác công đoàn năm 2020; CĐCS vững "
            "mạnh.",
        )
    for m in individuals:
        services.nominee_add(
            actor=None,
            batch=batch,
            member=m,
            achievements="Đoàn viên tiêu biểu trong phong trào thi đua “Lao động giỏi, lao "
            "động sáng tạo” năm 2020.",
        )
    services.batch_submit(actor=None, batch=batch)
    for nominee in batch.nominees.order_by("id"):
        services.nominee_review(actor=None, nominee=nominee, accept=True)
    decision = services.decision_create(
        actor=None,
        unit=district,
        form=batch.form,
        year=2020,
        number="05/QĐ-LĐLĐ",
        date=D(2021, 1, 14),
        signer="Lương Văn Hùng",
        signer_position="CHỦ TỊCH",
        is_demo=True,
    )
    services.decision_add_accepted(actor=None, decision=decision)
    services.decision_issue(actor=None, decision=decision)


def quang_binh_2022() -> None:
    """Seed 003: the Cờ thi đua of TLĐ to the province, and one member with the Prime
    Minister's Bằng khen (recorded by the province)."""
    qb = _unit("QB")
    _decision(
        unit=_unit("TLD"),
        form="co-tld",
        year=2022,
        number="6125/QĐ-TLĐ",
        date=D(2022, 12, 20),
        signer="Nguyễn Đình Khang",
        position="CHỦ TỊCH",
        on_behalf="TM. ĐOÀN CHỦ TỊCH",
        units=[qb],
        reason=PROVINCE_FLAG,
    )
    member = (
        Member.objects.filter(province=qb, status=MemberStatus.ACTIVE, joined_on__lt=D(2018, 1, 1))
        .order_by("sort_key", "id")
        .first()
    )
    assert member is not None
    _decision(
        unit=qb,
        form="bk-thu-tuong",
        year=2022,
        number="1480/QĐ-TTg",
        date=D(2022, 11, 25),
        signer="Phạm Minh Chính",
        position="THỦ TƯỚNG",
        issuer="Thủ tướng Chính phủ",
        members=[member],
        reason=EARLIER_ON_PAPER,
    )


def thai_binh_2020() -> None:
    """Seed 000: flags and certificates of merit of TLĐ, of the chair of the provincial People's
    Committee and of LĐLĐ tỉnh, handed out at the conference of 15/01/2021."""
    tld, tb = _unit("TLD"), _unit("TB")
    _decision(
        unit=tld,
        form="co-tld",
        year=2020,
        number="112/QĐ-TLĐ",
        date=D(2021, 1, 8),
        signer="Nguyễn Đình Khang",
        on_behalf="TM. ĐOÀN CHỦ TỊCH",
        reason=GRADED_ON_PAPER,
        units=[_unit("TB-KCN")],
    )
    _decision(
        unit=tld,
        form="bk-tld",
        year=2020,
        number="113/QĐ-TLĐ",
        date=D(2021, 1, 8),
        signer="Nguyễn Đình Khang",
        on_behalf="TM. ĐOÀN CHỦ TỊCH",
        reason=GRADED_ON_PAPER,
        units=[_unit("TB-HH-001")],
        members=_members(["TB-DH-001", "TB-KCN-001"], 1, 2020),
    )
    _decision(
        unit=tb,
        form="bk-ubnd-tinh",
        year=2020,
        number="98/QĐ-UBND",
        date=D(2021, 1, 12),
        signer="Nguyễn Khắc Thận",
        issuer="Ủy ban nhân dân tỉnh Thái Bình",
        reason=GRADED_ON_PAPER,
        units=[_unit("TB-VT-001"), _unit("TB-TP-002")],
        members=_members(["TB-HH-002", "TB-VT-002", "TB-KCN-002"], 1, 2020),
    )
    _decision(
        unit=tb,
        form="co-ldld-tinh",
        year=2020,
        number="10/QĐ-LĐLĐ",
        date=D(2021, 1, 15),
        signer="Trần Thị Hoa",
        reason=GRADED_ON_PAPER,
        units=[_unit("TB-HH"), _unit("TB-KCN-003")],
    )
    _decision(
        unit=tb,
        form="bk-ldld-tinh",
        year=2020,
        number="11/QĐ-LĐLĐ",
        date=D(2021, 1, 15),
        signer="Trần Thị Hoa",
        reason=GRADED_ON_PAPER,
        units=[_unit("TB-DH-003"), _unit("TB-VT-003"), _unit("TB-KCN-004")],
        members=_members(
            ["TB-HH-003", "TB-DH-004", "TB-TP-003", "TB-KCN-005", "TB-KCN-006"], 1, 2020
        ),
    )


def record_awards() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
    lang_son_2020()
    quang_binh_2022()
    thai_binh_2020()
