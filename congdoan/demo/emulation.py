"""The demo's emulation data, from the seeds (see SEED-FIGURES.md), written through the
emulation services as an office would record it.

- Seed 000, LĐLĐ tỉnh Thái Bình: its district federations and the industrial-zone union in one
  bloc for 2021, whose pact was signed at the conference of 15/01/2021; the province's 2021
  movements, with those units registered.
- Seed 002, the province of Nam Trung: its 60 grassroots unions in 10 blocs of six for 2021
  (every one in exactly one); the theme of the year "Nâng cao chất lượng đội ngũ cán bộ công
  đoàn cơ sở"; 2021 targets for each grassroots union (new members, and collective agreements, an
  indicator the province defines and whose results are typed in), so that blocs have targets as
  the sum of their units'. The first bloc's pact is open, half signed.
- Seed 004, Công đoàn Viên chức tỉnh Hòa Bình: the movements "Tham mưu giỏi, phục vụ tốt" and
  "Lao động giỏi, lao động sáng tạo" in 2022, with some of its grassroots unions registered.
"""

import datetime
import random

from congdoan.emulation import blocs, movements, pacts, targets
from congdoan.emulation.builtin_indicators import MEMBERS_ADMITTED
from congdoan.emulation.models import Bloc
from congdoan.org.models import Level, Status, Unit

D = datetime.date
NT_BLOCS = 10
NT_BLOC_SIZE = 6
# New-member targets of Nam Trung's grassroots unions for 2021, and the province's own.
NT_TARGET_CHOICES = (1, 1, 1, 2)
NT_PROVINCE_TARGET_2021 = 75


def _movement(
    unit: Unit, name: str, start: datetime.date, end: datetime.date, theme: str, text: str
) -> movements.Movement:
    return movements.movement_create(
        actor=None,
        unit=unit,
        data=movements.MovementData(name=name, start=start, end=end, theme=theme, description=text),
        is_demo=True,
    )


def _register(movement: movements.Movement, units: list[Unit], day: datetime.date) -> None:
    for unit in units:
        movements.registration_create(actor=None, movement=movement, unit=unit, registered_on=day)


def _hoa_binh() -> None:
    vc = Unit.objects.get(code="HB-VC")
    grassroots = list(Unit.objects.filter(parent=vc, level=Level.GRASSROOTS).order_by("code"))
    advise = _movement(
        vc,
        "Tham mưu giỏi, phục vụ tốt",
        D(2022, 1, 1),
        D(2022, 12, 31),
        "Cán bộ, công chức, viên chức tham mưu giỏi, phục vụ nhân dân tốt",
        "Phong trào thi đua trong cán bộ, công chức, viên chức các cơ quan, đơn vị sự nghiệp "
        "tỉnh Hòa Bình năm 2022.",
    )
    _register(advise, grassroots[:6], D(2022, 2, 15))
    work = _movement(
        vc,
        "Lao động giỏi, lao động sáng tạo",
        D(2022, 1, 1),
        D(2022, 12, 31),
        "Phát huy sáng kiến, cải tiến trong công việc",
        "Phong trào thi đua lao động giỏi, lao động sáng tạo năm 2022.",
    )
    _register(work, grassroots[2:10], D(2022, 3, 1))


def _thai_binh() -> None:
    tb = Unit.objects.get(code="TB")
    upper = list(Unit.objects.filter(parent=tb, level=Level.UPPER).order_by("code"))
    for name, theme in [
        ("Lao động giỏi, lao động sáng tạo", "Năng suất, chất lượng, hiệu quả"),
        (
            "Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động",
            "Môi trường làm việc an toàn, sạch đẹp",
        ),
    ]:
        movement = _movement(
            tb, name, D(2021, 1, 15), D(2021, 12, 31), theme,
            "Phát động tại Hội nghị tổng kết năm 2020, triển khai nhiệm vụ năm 2021.",
        )  # fmt: skip
        _register(movement, upper, D(2021, 1, 15))
    leader = next(u for u in upper if u.code == "TB-TP")
    bloc = blocs.bloc_create(
        actor=None,
        owner=tb,
        year=2021,
        name="Khối các LĐLĐ huyện, thành phố và Công đoàn các KCN",
        units=upper,
        leader=leader,
        is_demo=True,
    )
    pact = pacts.pact_create(
        actor=None,
        bloc=bloc,
        data=pacts.PactData(
            title="BẢN GIAO ƯỚC THI ĐUA NĂM 2021",
            dated=D(2021, 1, 15),
            number="01/GƯTĐ",
            place="Thái Bình",
            preamble="Các đơn vị cam kết thi đua hoàn thành xuất sắc nhiệm vụ năm 2021, thực "
            "hiện thắng lợi Nghị quyết Đại hội Công đoàn tỉnh.",
        ),
        targets=[
            pacts.TargetLine("Kết nạp đoàn viên mới", 1_500, "đoàn viên"),
            pacts.TargetLine("Thành lập công đoàn cơ sở mới", 12, "CĐCS"),
            pacts.TargetLine("Thỏa ước lao động tập thể ký mới", 30, "bản"),
            pacts.TargetLine("Sáng kiến, cải tiến kỹ thuật", 200, "sáng kiến"),
            pacts.TargetLine("Nhà Mái ấm Công đoàn", 10, "nhà", "Hỗ trợ xây mới, sửa chữa"),
        ],
        is_demo=True,
    )
    pacts.pact_open(actor=None, pact=pact, date=D(2021, 1, 15))
    signers = {
        "TB-DH": "Nguyễn Văn Bình",
        "TB-HH": "Trần Thị Mai",
        "TB-KCN": "Phạm Quốc Hùng",
        "TB-TP": "Vũ Thị Hạnh",
        "TB-VT": "Đặng Văn Toàn",
    }
    for unit in upper:
        pacts.pact_sign(
            actor=None, pact=pact, unit=unit, signed_on=D(2021, 1, 15),
            signer_name=signers.get(unit.code, "Nguyễn Văn An"), signer_position="Chủ tịch",
        )  # fmt: skip


def _nam_trung() -> None:
    nt = Unit.objects.get(code="NT")
    rng = random.Random(2021)
    theme = _movement(
        nt,
        "Thi đua thực hiện chủ đề năm 2021",
        D(2021, 1, 1),
        D(2021, 12, 31),
        "Nâng cao chất lượng đội ngũ cán bộ công đoàn cơ sở",
        "Chủ đề năm 2021 của Liên đoàn Lao động tỉnh.",
    )
    grassroots = list(
        Unit.objects.filter(parent=nt, level=Level.GRASSROOTS, status=Status.ACTIVE).order_by(
            "code"
        )
    )
    _register(theme, grassroots[::3], D(2021, 2, 1))
    made: list[Bloc] = []
    for n in range(NT_BLOCS):
        units = grassroots[n * NT_BLOC_SIZE : (n + 1) * NT_BLOC_SIZE]
        made.append(
            blocs.bloc_create(
                actor=None,
                owner=nt,
                year=2021,
                name=f"Cụm thi đua số {n + 1}",
                units=units,
                leader=units[0],
                is_demo=True,
            )
        )
    agreements = targets.indicator_create(
        actor=None,
        owner=nt,
        key="thoa_uoc",
        name="Thỏa ước lao động tập thể ký mới",
        measure="bản",
        is_demo=True,
    )
    members_ref = targets.indicator_ref(nt, MEMBERS_ADMITTED)
    agreements_ref = targets.indicator_ref(nt, f"i{agreements.pk}")
    targets.target_set(
        actor=None, unit=nt, year=2021, ref=members_ref, value=NT_PROVINCE_TARGET_2021
    )
    for i, unit in enumerate(grassroots):
        targets.target_set(
            actor=None, unit=unit, year=2021, ref=members_ref,
            value=rng.choice(NT_TARGET_CHOICES),
        )  # fmt: skip
        if unit.kind == "enterprise":
            targets.target_set(actor=None, unit=unit, year=2021, ref=agreements_ref, value=1)
            if i % 4 != 3:  # three in four signed theirs
                targets.achievement_set(
                    actor=None, unit=unit, year=2021, ref=agreements_ref, value=1,
                    note="Ký tại hội nghị người lao động",
                )  # fmt: skip
    first = made[0]
    pact = pacts.pact_create(
        actor=None,
        bloc=first,
        data=pacts.PactData(
            title="BẢN GIAO ƯỚC THI ĐUA NĂM 2021", dated=D(2021, 3, 1), place="Nam Trung"
        ),
        targets=[
            pacts.TargetLine("Kết nạp đoàn viên mới", 18, "đoàn viên"),
            pacts.TargetLine("Thỏa ước lao động tập thể ký mới", 6, "bản"),
        ],
        is_demo=True,
    )
    pacts.pact_open(actor=None, pact=pact, date=D(2021, 3, 1))
    for unit in grassroots[:3]:
        pacts.pact_sign(
            actor=None, pact=pact, unit=unit, signed_on=D(2021, 3, 1),
            signer_name="Lê Văn Sơn", signer_position="Chủ tịch CĐCS",
        )  # fmt: skip


def record_emulation() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
    _thai_binh()
    _nam_trung()
    _hoa_binh()
