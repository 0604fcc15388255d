"""Records the meetings tests share: decisions and pacts in the test tree."""

import datetime

from congdoan.awards.models import AwardDecision, AwardForm, AwardRecipient, DecisionStatus
from congdoan.emulation import blocs
from congdoan.emulation.models import Bloc, Pact
from congdoan.meetings.services import MeetingData
from congdoan.org.models import Unit

D = datetime.date


def decision(
    unit: Unit,
    number: str,
    *,
    awards: list[Unit],
    status: str = DecisionStatus.ISSUED,
    date: datetime.date | None = None,
) -> AwardDecision:
    date = date or D(2025, 1, 10)
    found = AwardDecision.objects.create(
        unit=unit,
        form=AwardForm.objects.get(code="bk-ldld-tinh"),
        year=date.year - 1,
        number=number,
        date=date,
        signer="Nguyễn Văn A",
        signer_position="CHỦ TỊCH",
        status=status,
    )
    for u in awards:
        AwardRecipient.objects.create(decision=found, unit=u, home_unit=u, path=u.path, name=u.name)
    return found


def bloc(owner: Unit, units: list[Unit], name: str, year: int = 2021) -> Bloc:
    return blocs.bloc_create(
        actor=None, owner=owner, year=year, name=name, units=units, leader=units[0]
    )


def pact(bloc_: Bloc) -> Pact:
    return Pact.objects.create(bloc=bloc_, title=f"Giao ước {bloc_.name}", dated=D(2021, 1, 15))


def data(**kwargs: object) -> MeetingData:
    values: dict[str, object] = {
        "kind": "year_review",
        "title": "Hội nghị tổng kết năm 2024",
        "date": D(2025, 1, 15),
    }
    values.update(kwargs)
    return MeetingData(**values)  # type: ignore[arg-type]
