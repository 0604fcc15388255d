"""The meetings of the seeds in the demo (SEED-FIGURES.md): the conferences of Thái Bình
(15/01/2021), Mẫu Sơn (14/01/2021), Quảng Bình (28/12/2022) and Hòa Bình (19/07/2022) with their
awards and pacts, Nam Trung's 10 working sessions of 01/03-09/03/2021 from its generator, and the
inspections of Thái Bình and Quảng Bình."""

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

D = datetime.date
T = datetime.time


def stats(code: str, start: str, end: str) -> Any:
    out = io.StringIO()
    call_command(
        "stats", "--unit", code, "--from", start, "--as-of", end, "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())


def _meeting(code: str, day: datetime.date) -> Any:
    from congdoan.meetings.models import Meeting

    return Meeting.objects.get(unit__code=code, date=day)


@pytest.mark.django_db
def test_thai_binh_conference_of_15_january_2021(demo: Any) -> None:
    m = _meeting("TB", D(2021, 1, 15))
    assert (m.kind, m.parts, m.congress_term) == (
        "year_review",
        ["launch", "mid_term_review"],
        "2018-2023",
    )
    assert sorted(m.decisions.values_list("number", flat=True)) == [
        "10/QĐ-LĐLĐ",
        "11/QĐ-LĐLĐ",
        "112/QĐ-TLĐ",
        "113/QĐ-TLĐ",
        "98/QĐ-UBND",
    ]
    assert [(p.bloc.name, p.bloc.year) for p in m.pacts.select_related("bloc")] == [
        ("Khối các LĐLĐ huyện, thành phố và Công đoàn các KCN", 2021)
    ]
    assert m.guests.first().name == "Nguyễn Tiến Thành"
    assert sorted(m.units_represented.values_list("code", flat=True)) == [
        "TB-DH",
        "TB-HH",
        "TB-KCN",
        "TB-TP",
        "TB-VT",
    ]


@pytest.mark.django_db
def test_mau_son_mid_term_review_of_14_january_2021(demo: Any) -> None:
    m = _meeting("LS-MS", D(2021, 1, 14))
    assert (m.kind, m.congress_term) == ("mid_term_review", "2018-2023")
    decisions = {d.number: d for d in m.decisions.select_related("unit", "form")}
    assert sorted(decisions) == ["05/QĐ-LĐLĐ", "15/QĐ-LĐLĐ"]
    assert decisions["15/QĐ-LĐLĐ"].unit.code == "LS"
    assert decisions["05/QĐ-LĐLĐ"].unit.code == "LS-MS"
    assert [g.name for g in m.guests.all()] == ["Lương Chí Công", "Hứa Văn Cường", "Hoàng Thị Thúy"]


@pytest.mark.django_db
def test_nam_trung_ten_working_sessions(demo: Any) -> None:
    from congdoan.core.admin_docx import document_text
    from congdoan.meetings import programme
    from congdoan.meetings.models import WorkProgramme

    made = WorkProgramme.objects.get(unit__code="NT")
    sessions = list(programme.sessions_of(made))
    assert [(s.date.day, s.start_time, s.bloc.name) for s in sessions] == [
        (1, T(8), "Cụm thi đua số 1"),
        (1, T(14), "Cụm thi đua số 2"),
        (2, T(8), "Cụm thi đua số 3"),
        (2, T(14), "Cụm thi đua số 4"),
        (3, T(8), "Cụm thi đua số 5"),
        (3, T(14), "Cụm thi đua số 6"),
        (4, T(8), "Cụm thi đua số 7"),
        (5, T(8), "Cụm thi đua số 8"),
        (8, T(8), "Cụm thi đua số 9"),
        (9, T(8), "Cụm thi đua số 10"),
    ]
    assert {s.date.month for s in sessions} == {3}
    assert all(s.host_unit_id == s.bloc.leader_id for s in sessions)
    text = "\n".join(document_text(programme.calendar_document(made)))
    assert "LỊCH LÀM VIỆC CỦA BAN THƯỜNG VỤ VỚI CÁC CỤM THI ĐUA" in text
    assert "Từ ngày 01/03/2021 đến ngày 09/03/2021" in text
    nt = stats("NT", "2021-01-01", "2021-12-31")["meetings"]
    assert (nt["count"], nt["working_sessions"], nt["conferences"]) == (10, 10, [])


@pytest.mark.django_db
def test_quang_binh_plenary_and_hoa_binh_half_year(demo: Any) -> None:
    qb = _meeting("QB", D(2022, 12, 28))
    assert (qb.kind, qb.plenary_number, qb.committee_term, qb.expanded) == (
        "plenary",
        12,
        "XVIII",
        True,
    )
    assert "launch" in qb.parts
    assert sorted(qb.decisions.values_list("number", flat=True)) == ["1480/QĐ-TTg", "6125/QĐ-TLĐ"]
    hb = _meeting("HB-VC", D(2022, 7, 19))
    assert hb.kind == "half_year_review"
    section = stats("QB", "2022-01-01", "2022-12-31")["meetings"]
    assert section["conferences"] == [
        {
            "date": "2022-12-28",
            "kind": "plenary",
            "unit": "QB",
            "title": "Hội nghị Ban Chấp hành lần thứ 12, khóa XVIII (mở rộng) triển khai nhiệm vụ "
            "công đoàn năm 2023",
        }
    ]


@pytest.mark.django_db
def test_inspections_of_thai_binh_and_quang_binh(demo: Any) -> None:
    tb = stats("TB", "2021-01-01", "2021-12-31")["inspections"]
    assert tb == {
        "from": "2021-01-01",
        "to": "2021-12-31",
        "plans": 1,
        "planned": 4,
        "done": 3,
        "of_units": 3,
        "of_employers": 1,
        "with_recommendations": 2,
        "followed_up": 1,
        "closed": 1,
        "by_subject": {
            "charter": 2,
            "finance": 2,
            "labour_law": 1,
            "union_law": 1,
            "social_insurance": 1,
        },
    }
    qb = stats("QB", "2022-01-01", "2022-12-31")["inspections"]
    assert (qb["planned"], qb["done"], qb["of_employers"], qb["followed_up"]) == (2, 2, 1, 1)
