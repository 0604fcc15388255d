"""Working-session programmes: the schedule generated from a year's blocs, the holidays it
skips, its refusals, and the printable calendar."""

import datetime

import pytest
from django.http import Http404

from congdoan.conftest import Cast, Tree, make_unit
from congdoan.core.admin_docx import document_text
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.meetings import programme
from congdoan.meetings.models import Holiday, Meeting, MeetingKind
from congdoan.org.models import Kind, Unit

from .helpers import bloc

D = datetime.date
T = datetime.time


@pytest.fixture
def ten_blocs(tree: Tree) -> list[Unit]:
    """Ten blocs of P (Cụm 1 ... Cụm 10), each of one or two district unions."""
    units = [tree.X, tree.Y, tree.Z] + [
        make_unit(tree.P, f"H{n}", Kind.DISTRICT_FEDERATION, D(1995, 1, 1)) for n in range(7)
    ]
    for n, unit in enumerate(units, 1):
        bloc(tree.P, [unit], f"Cụm {n}")
    return units


def test_the_holidays_of_the_labour_code_are_seeded(db: None) -> None:
    def names(year: int) -> dict[str, str]:
        return {f"{h.date:%d/%m}": h.name for h in Holiday.objects.filter(date__year=year)}

    y2021 = names(2021)
    assert y2021 == {
        "01/01": "Tết Dương lịch",
        **{f"{d}/02": "Tết Nguyên đán" for d in range(10, 17)},
        "21/04": "Giỗ Tổ Hùng Vương",
        "30/04": "Ngày Chiến thắng",
        "01/05": "Ngày Quốc tế Lao động",
        "03/05": "Nghỉ bù Ngày Quốc tế Lao động",
        "02/09": "Quốc khánh",
        "03/09": "Quốc khánh",
    }
    y2022 = names(2022)
    assert {k: v for k, v in y2022.items() if "Nghỉ bù" in v} == {
        "03/01": "Nghỉ bù Tết Dương lịch",
        "11/04": "Nghỉ bù Giỗ Tổ Hùng Vương",
        "02/05": "Nghỉ bù Ngày Chiến thắng",
        "03/05": "Nghỉ bù Ngày Quốc tế Lao động",
    }
    assert sorted({h.year for h in Holiday.objects.values_list("date", flat=True)}) == list(
        range(2020, 2028)
    )


def test_seed_002_ten_blocs_from_1_to_9_march_2021(
    tree: Tree, cast: Cast, ten_blocs: list[Unit]
) -> None:
    slots = programme.plan_sessions(
        owner=tree.P, year=2021, first_day=D(2021, 3, 1), last_day=D(2021, 3, 9)
    )
    assert [(s.date.day, s.start, s.bloc.name) for s in slots] == [
        (1, T(8), "Cụm 1"),
        (1, T(14), "Cụm 2"),
        (2, T(8), "Cụm 3"),
        (2, T(14), "Cụm 4"),
        (3, T(8), "Cụm 5"),
        (3, T(14), "Cụm 6"),
        (4, T(8), "Cụm 7"),
        (5, T(8), "Cụm 8"),
        (8, T(8), "Cụm 9"),
        (9, T(8), "Cụm 10"),
    ]
    assert (slots[0].host, slots[0].place) == (tree.X, "Trụ sở Unit X")
    made = programme.programme_create(
        actor=cast.province_officer,
        owner=tree.P,
        year=2021,
        first_day=D(2021, 3, 1),
        last_day=D(2021, 3, 9),
    )
    sessions = list(programme.sessions_of(made))
    assert len(sessions) == 10
    first = sessions[0]
    assert (first.kind, first.unit, first.title, first.host_unit, first.end_time) == (
        MeetingKind.WORKING_SESSION,
        tree.P,
        "Ban Thường vụ làm việc với Cụm 1",
        tree.X,
        T(11),
    )
    assert list(first.units_represented.all()) == [tree.X]
    assert made.title == "Chương trình làm việc của Ban Thường vụ với các cụm thi đua năm 2021"
    assert AuditEvent.objects.filter(action="meeting.create").count() == 10
    assert AuditEvent.objects.get(action="work_programme.create").changes["sessions"] == 10
    text = document_text(programme.calendar_document(made))
    assert "LỊCH LÀM VIỆC CỦA BAN THƯỜNG VỤ VỚI CÁC CỤM THI ĐUA" in text
    assert "Từ ngày 01/03/2021 đến ngày 09/03/2021" in text
    joined = "\n".join(text)
    for cell in (
        "Thứ Hai, 01/03/2021",
        "Sáng (08h00 - 11h00)",
        "Chiều (14h00 - 17h00)",
        "Cụm 10",
        "Trụ sở Unit X",
        "Đơn vị chủ trì",
    ):
        assert cell in joined


def test_one_session_a_day_when_days_are_enough(tree: Tree, ten_blocs: list[Unit]) -> None:
    slots = programme.plan_sessions(
        owner=tree.P,
        year=2021,
        first_day=D(2021, 3, 1),
        last_day=D(2021, 3, 31),
        place="Hội trường tỉnh",
    )
    assert [s.date.day for s in slots] == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
    assert {s.start for s in slots} == {T(8)}
    assert {s.place for s in slots} == {"Hội trường tỉnh"}


def test_holidays_and_weekends_are_skipped(tree: Tree) -> None:
    bloc(tree.P, [tree.X], "Cụm 1")
    bloc(tree.P, [tree.Y], "Cụm 2")
    # 29/04/2022 Friday, 30/04-01/05 weekend and holidays, 02-03/05 made-up holidays.
    slots = programme.plan_sessions(
        owner=tree.P, year=2021, first_day=D(2022, 4, 29), last_day=D(2022, 5, 5)
    )
    assert [s.date for s in slots] == [D(2022, 4, 29), D(2022, 5, 4)]


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        (
            D(2022, 4, 30),
            D(2022, 5, 3),
            "first_day",
            "There is no working day from 30/04/2022 to 03/05/2022: Saturdays, Sundays and public "
            "holidays are skipped.",
        ),
        (
            D(2021, 3, 1),
            D(2021, 3, 2),
            "last_day",
            "From 01/03/2021 to 02/03/2021 there are 2 working days, so 4 sessions at most "
            "(morning and afternoon), fewer than the 10 blocs. Choose a longer range.",
        ),
        (D(2021, 3, 9), D(2021, 3, 1), "last_day", "The last day is before the first day."),
        (D(2021, 1, 1), D(2021, 6, 1), "last_day", "A programme spans at most 92 days."),
    ],
)
def test_ranges_that_cannot_hold_the_blocs(
    tree: Tree,
    cast: Cast,
    ten_blocs: list[Unit],
    english: None,
    first: datetime.date,
    last: datetime.date,
    field: str,
    message: str,
) -> None:
    with pytest.raises(ServiceError) as caught:
        programme.programme_create(
            actor=cast.province_officer, owner=tree.P, year=2021, first_day=first, last_day=last
        )
    assert (caught.value.field, caught.value.messages) == (field, [message])
    assert Meeting.objects.count() == 0


def test_no_blocs_and_no_access(tree: Tree, cast: Cast, english: None) -> None:
    with pytest.raises(ServiceError) as caught:
        programme.plan_sessions(
            owner=tree.X, year=2021, first_day=D(2021, 3, 1), last_day=D(2021, 3, 9)
        )
    assert caught.value.messages == ["Unit X has no emulation blocs in 2021."]
    with pytest.raises(Http404):
        programme.programme_create(
            actor=cast.x_officer,
            owner=tree.P,
            year=2021,
            first_day=D(2021, 3, 1),
            last_day=D(2021, 3, 9),
        )
