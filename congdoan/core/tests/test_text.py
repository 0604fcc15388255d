"""Vietnamese text: folding for search, alphabetical order, numbers and dates."""

import datetime

import pytest

from congdoan.core.formatting import date_vi, number_vi, parse_date_vi, vnd
from congdoan.core.text import fold, person_sort_key, sort_key


def test_fold() -> None:
    assert fold("  Nguyễn   Văn ÂN ") == "nguyen van an"
    assert fold("Đỗ Thị Đào") == "do thi dao"
    assert fold("Công đoàn cơ sở Trường THCS") == "cong doan co so truong thcs"


def test_vietnamese_alphabetical_order() -> None:
    words = [
        "đào",
        "an",
        "ăn",
        "ân",
        "bình",
        "dũng",
        "ánh",
        "à",
        "a",
        "ơn",
        "ôn",
        "on",
        "ưng",
        "ung",
        "yến",
        "vân",
    ]
    assert sorted(words, key=sort_key) == [
        "a",
        "à",
        "an",
        "ánh",
        "ăn",
        "ân",
        "bình",
        "dũng",
        "đào",
        "on",
        "ôn",
        "ơn",
        "ung",
        "ưng",
        "vân",
        "yến",
    ]


def test_people_sort_by_given_name() -> None:
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Ánh", "Phạm Thị An", "Đỗ Đức Đạt"]
    assert sorted(names, key=person_sort_key) == [
        "Phạm Thị An",
        "Trần Thị An",
        "Lê Văn Ánh",
        "Nguyễn Văn Bình",
        "Đỗ Đức Đạt",
    ]


def test_numbers_money_dates() -> None:
    assert number_vi(3032) == "3.032"
    assert number_vi(-1600000000) == "-1.600.000.000"
    assert vnd(70_000_000) == "70.000.000 đ"
    assert date_vi(datetime.date(2021, 1, 5)) == "05/01/2021"
    assert parse_date_vi("31/12/2020") == datetime.date(2020, 12, 31)
    assert parse_date_vi("2020-12-31") == datetime.date(2020, 12, 31)
    assert parse_date_vi("2020-12-31 00:00:00") == datetime.date(2020, 12, 31)
    assert parse_date_vi("5/6/18") == datetime.date(2018, 6, 5)
    assert parse_date_vi("15/3/85") == datetime.date(1985, 3, 15)
    assert parse_date_vi("32874") == datetime.date(1990, 1, 1)  # a spreadsheet serial
    assert parse_date_vi("1/3/2015") == datetime.date(2015, 3, 1)
    for bad in ("31/13/2020", "31/02/2020", "01/03/2015 anything", "tháng ba 2015"):
        with pytest.raises(ValueError) as error:
            parse_date_vi(bad)
        # the whole text is quoted back, not its first word
        assert str(error.value) == f"“{bad}” is not a date (dd/mm/yyyy)."


def test_audit_display_names_fields_and_related_records(db: None) -> None:
    from congdoan.conftest import make_unit
    from congdoan.core.audit import audit_display
    from congdoan.core.models import AuditEvent
    from congdoan.org.models import Kind

    root = make_unit(None, "C", Kind.CONFEDERATION, datetime.date(1929, 7, 28))
    child = make_unit(root, "P", Kind.PROVINCIAL_FEDERATION, datetime.date(1990, 1, 2))
    row = audit_display(list(AuditEvent.objects.filter(unit_id=child.pk)))[0]
    assert str(row["action"]) == "Unit founded"
    assert ("Parent unit", "", "Unit C") in row["changes"]
    assert ("Founded on", "", "02/01/1990") in row["changes"]
    assert ("Level", "", "Provincial") in row["changes"]
