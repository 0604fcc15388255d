"""The demo's grading data, from the seeds (see SEED-FIGURES.md).

- Seed 002's province (LĐLĐ tỉnh Nam Trung, NT): a 2021 scorecard in the groups of Guidance
  1294/HD-TLĐ (organisation and members; representation and care; emulation; inspection;
  finance), 100 points, with an approved assessment for each of its 76 CĐCS.
- Seed 001's district (LĐLĐ huyện Mẫu Sơn, LS-MS): a 2020 scorecard of LĐLĐ tỉnh Lạng Sơn
  with approved assessments for the 124 CĐCS the district had on 31/12/2020. The first seven
  of them by code (LS-MS-001 to LS-MS-007) get HTXSNV: the awards demo gives the district's
  2020 Bằng khen and Giấy khen to collectives among them.

Everything is recorded through the services (as the system), so totals and grades are computed,
never typed in.
"""

import datetime
import random

from congdoan.grading import assessments, scorecards
from congdoan.grading.models import Scorecard
from congdoan.org.models import Unit

D = datetime.date
SYSTEM = None

# (group number, group title, [(code, criterion, maximum in tenths)]): 100 points.
CRITERIA = [
    ("I", "Công tác tổ chức, phát triển đoàn viên", [
        ("1.1", "Phát triển đoàn viên đạt và vượt chỉ tiêu được giao; thành lập công đoàn ở "
                "nơi đủ điều kiện", 100),
        ("1.2", "Ban Chấp hành, tổ công đoàn sinh hoạt định kỳ theo Điều lệ; đại hội đúng "
                "nhiệm kỳ", 75),
        ("1.3", "Quản lý đoàn viên, cấp và quản lý thẻ đoàn viên trên phần mềm", 75),
    ]),
    ("II", "Đại diện, bảo vệ quyền lợi và chăm lo đời sống đoàn viên", [
        ("2.1", "Thương lượng, ký kết và thực hiện thỏa ước lao động tập thể", 100),
        ("2.2", "Phối hợp tổ chức hội nghị người lao động, đối thoại tại nơi làm việc", 100),
        ("2.3", "Chăm lo, hỗ trợ đoàn viên khó khăn (Tết Sum vầy, Mái ấm Công đoàn...)", 100),
    ]),
    ("III", "Tuyên truyền, thi đua và phong trào", [
        ("3.1", "Tổ chức phong trào thi đua, ký giao ước thi đua trong khối", 80),
        ("3.2", "Sáng kiến, phong trào “Lao động giỏi, lao động sáng tạo”", 70),
        ("3.3", "Tuyên truyền, phổ biến pháp luật, nghị quyết công đoàn", 50),
    ]),
    ("IV", "Kiểm tra, giám sát", [
        ("4.1", "Ủy ban kiểm tra hoạt động theo kế hoạch, kiểm tra tài chính cùng cấp", 50),
        ("4.2", "Giám sát việc thực hiện chế độ, chính sách đối với người lao động", 50),
    ]),
    ("V", "Công tác tài chính công đoàn", [
        ("5.1", "Thu, nộp kinh phí và đoàn phí công đoàn đầy đủ, đúng hạn", 80),
        ("5.2", "Quản lý, sử dụng tài chính đúng quy định, công khai", 70),
    ]),
]  # fmt: skip

# Units that reach HTXSNV in the LS-MS demo (the awards demo reads their grades).
LS_MS_EXCELLENT = 7


def _card(owner: Unit, year: int, published_on: datetime.date) -> Scorecard:
    card = scorecards.scorecard_create(
        actor=SYSTEM, owner=owner, year=year, is_demo=True,
        title=f"Bảng chấm điểm đánh giá, xếp loại CĐCS năm {year}",
    )  # fmt: skip
    for number, title, rows in CRITERIA:
        group = scorecards.group_save(actor=SYSTEM, card=card, number=number, title=title)
        for code, text, max_tenths in rows:
            scorecards.criterion_save(
                actor=SYSTEM, card=card, group=group, code=code, text=text, max_tenths=max_tenths
            )
    return scorecards.scorecard_publish(actor=SYSTEM, card=card, date=published_on)


def _half(value: float) -> int:
    """A score rounded to a half point, in tenths."""
    return int(round(value * 2) * 5)


def _scores(card: Scorecard, quality: float, rng: random.Random) -> dict[int, int]:
    """Self-assessed scores of a unit of `quality` (the share of each maximum it reaches)."""
    out = {}
    for c in card.criteria.order_by("order", "id"):
        share = min(1.0, max(0.3, quality + rng.uniform(-0.08, 0.08)))
        out[c.pk] = min(c.max_tenths, _half(c.max_tenths * share / 10))
    return out


def _grade(
    card: Scorecard,
    unit: Unit,
    quality: float,
    rng: random.Random,
    *,
    submitted_on: datetime.date,
    approved_on: datetime.date,
    adjust: bool = False,
    cap: str = "",
    cap_reason: str = "",
) -> None:
    a = assessments.assessment_start(actor=SYSTEM, unit=unit, year=card.year, is_demo=True)
    own = _scores(card, quality, rng)
    entries = {
        cid: (tenths, "Báo cáo tổng kết năm, biên bản kèm theo") for cid, tenths in own.items()
    }
    a = assessments.assessment_self_save(
        actor=SYSTEM, assessment=a, entries=entries, submit=True, date=submitted_on
    )
    review: dict[int, tuple[object, str]] = {}
    if adjust:
        # The union above lowers one score by a point for missing evidence.
        cid = max(own, key=lambda k: (own[k], k))
        review[cid] = (max(0, own[cid] - 10), "Hồ sơ minh chứng chưa đầy đủ, trừ 1 điểm")
    assessments.assessment_review(
        actor=SYSTEM, assessment=a, entries=review, cap=cap, cap_reason=cap_reason,
        approve=True, date=approved_on,
    )  # fmt: skip


def record_grading() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
    rng = random.Random(1294)
    # Seed 002: the province's 2021 grading.
    nt = Unit.objects.get(code="NT")
    card = _card(nt, 2021, D(2021, 11, 15))
    units = list(Unit.objects.filter(scorecards.in_scope_q(card)).order_by("code"))
    for n, unit in enumerate(units):
        quality = rng.choice([0.97, 0.93, 0.9, 0.86, 0.82, 0.78, 0.74, 0.7, 0.62, 0.5])
        cap, reason = "", ""
        if unit.code == "NT-017":
            cap, reason = "HTNV", "Để xảy ra sai phạm trong quản lý tài chính công đoàn"
        _grade(card, unit, quality, rng, submitted_on=D(2022, 1, 5 + n % 5),
               approved_on=D(2022, 1, 18), adjust=n % 6 == 0, cap=cap,
               cap_reason=reason)  # fmt: skip

    # Seed 001: the district's 2020 grading by the province of Lạng Sơn.
    ls = Unit.objects.get(code="LS")
    card = _card(ls, 2020, D(2020, 11, 2))
    units = list(
        Unit.objects.filter(scorecards.in_scope_q(card), code__startswith="LS-MS-").order_by("code")
    )
    for n, unit in enumerate(units):
        if n < LS_MS_EXCELLENT:
            quality = 0.985
        else:
            quality = rng.choice([0.92, 0.88, 0.85, 0.82, 0.78, 0.75, 0.72, 0.66, 0.58])
        _grade(card, unit, quality, rng, submitted_on=D(2020, 12, 21 + n % 7),
               approved_on=D(2021, 1, 8), adjust=n >= LS_MS_EXCELLENT and n % 5 == 0)  # fmt: skip
