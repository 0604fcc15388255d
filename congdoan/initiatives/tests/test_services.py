"""The rules of initiatives and programmes: each refused with a Vietnamese-ready message naming
the field, nothing written; every write audited."""

import datetime

import pytest

from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.initiatives import services
from congdoan.initiatives.models import Initiative, InitiativeAuthor, ProgrammeTarget

from .setup import END, START, Setup, record, scene

D = datetime.date
__all__ = ["scene"]


def refused(call: object, field: str | None, text: str) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.field == field
    assert text in " ".join(caught.value.messages), caught.value.messages
    return caught.value


def test_recording_an_initiative(scene: Setup) -> None:
    s = scene
    one = record(s, authors=[(s.hoa, 60), (s.lan, "40%")], co_authors="Kỹ sư A; Kỹ sư B\n",
                 actor=s.cast.chair)  # fmt: skip
    one.refresh_from_db()
    assert (one.title, one.title_key, one.value_vnd, one.status) == (
        "Cải tiến băng tải",
        "cai tien bang tai",
        12_500_000,
        "submitted",
    )
    assert one.co_authors == "Kỹ sư A\nKỹ sư B"
    assert list(InitiativeAuthor.objects.filter(initiative=one).values_list(
        "member__full_name", "order", "share_pct")) == [
        ("Nguyễn Thị Hoa", 1, 60), ("Trần Thị Lan", 2, 40)]  # fmt: skip
    event = AuditEvent.objects.get(action="initiative.create", target_id=str(one.pk))
    assert event.actor == s.cast.chair and event.unit_id == s.tree.X1.pk
    assert event.changes["author_names"] == [None, "Nguyễn Thị Hoa (60%); Trần Thị Lan (40%)"]


def test_equal_shares_when_none_given(scene: Setup) -> None:
    s = scene
    one = record(s, unit=s.tree.X, authors=[(s.hoa, None), (s.lan, None), (s.minh, "")])
    assert list(one.authors.values_list("share_pct", flat=True)) == [34, 33, 33]
    assert services.split_shares(1) == [100]


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"authors": []}, "authors", "at least one author"),
        ({"value_vnd": -5}, "value_vnd", "cannot be negative"),
        ({"value_vnd": "-5.000"}, "value_vnd", "cannot be negative"),
        ({"value_vnd": "12,5"}, "value_vnd", "without decimals"),
        ({"value_vnd": 12.5}, "value_vnd", "without decimals"),
        ({"value_vnd": "abc"}, "value_vnd", "Type the estimated value"),
        ({"submitted_on": D(2023, 12, 31)}, "submitted_on", "outside the programme's period"),
        ({"submitted_on": D(2026, 1, 1)}, "submitted_on", "outside the programme's period"),
        ({"title": "  "}, "title", "title"),
        ({"field": "magic"}, "field", "field"),
    ],
)
def test_bad_input_is_refused(scene: Setup, kwargs: dict, field: str, text: str) -> None:
    refused(lambda: record(scene, **kwargs), field, text)
    assert Initiative.objects.count() == 0
    assert InitiativeAuthor.objects.count() == 0


def test_value_with_separators_is_read(scene: Setup) -> None:
    assert record(scene, value_vnd="12.500.000").value_vnd == 12_500_000
    assert record(scene, value_vnd="", title="Không tính được").value_vnd == 0


def test_unit_outside_the_programme_owner_s_subtree(scene: Setup) -> None:
    s = scene
    refused(lambda: record(s, unit=s.tree.Q1, authors=[(s.outsider, None)]), "unit",
            "is not under Unit P")  # fmt: skip


def test_authors_must_be_members_of_the_unit_s_subtree(scene: Setup) -> None:
    s = scene
    refused(lambda: record(s, authors=[(s.minh, None)]), "authors",
            "Lê Văn Minh is not a member of a union under Unit X1")  # fmt: skip
    refused(lambda: record(s, authors=[(s.hoa, None), (s.hoa, None)]), "authors", "listed twice")
    refused(lambda: record(s, authors=[(s.hoa, 50), (s.lan, 40)]), "authors", "add up to 90%")
    refused(lambda: record(s, authors=[(s.hoa, 100), (s.lan, None)]), "authors",
            "or none of them")  # fmt: skip
    refused(lambda: record(s, authors=[(s.hoa, 0), (s.lan, 100)]), "authors", "from 1 to 100")
    assert Initiative.objects.count() == 0


def test_a_union_above_records_for_its_members(scene: Setup) -> None:
    s = scene
    one = record(s, unit=s.tree.X, authors=[(s.hoa, 50), (s.minh, 50)])
    assert one.unit == s.tree.X


def test_deciding_once_and_reopening(scene: Setup) -> None:
    s = scene
    one = record(s)
    refused(lambda: services.initiative_decide(actor=None, initiative=one, recognised=True,
                                               decided_on=D(2024, 4, 1)),
            "decision_ref", "number of the recognition decision")  # fmt: skip
    refused(lambda: services.initiative_decide(actor=None, initiative=one, recognised=True,
                                               decided_on=D(2024, 2, 1), decision_ref="1"),
            "decided_on", "cannot come before")  # fmt: skip
    refused(lambda: services.initiative_decide(actor=None, initiative=one, recognised=False,
                                               decided_on=D(2024, 4, 1)),
            "comment", "Say why")  # fmt: skip
    services.initiative_decide(actor=s.cast.province_officer, initiative=one, recognised=True,
                               decided_on=D(2024, 4, 1), decision_ref="12/QĐ-HĐSK")  # fmt: skip
    one.refresh_from_db()
    assert (one.status, one.decided_on, one.decision_ref) == ("recognised", D(2024, 4, 1),
                                                              "12/QĐ-HĐSK")  # fmt: skip
    refused(lambda: services.initiative_decide(actor=None, initiative=one, recognised=True,
                                               decided_on=D(2024, 5, 1), decision_ref="13"),
            None, "already recognised by decision 12/QĐ-HĐSK of 01/04/2024")  # fmt: skip
    # a recognised initiative keeps its authors and value until reopened
    data = services.InitiativeData(title="Cải tiến băng tải số 2", field="technical",
                                   submitted_on=D(2024, 3, 1), value_vnd=12_500_000,
                                   authors=[(s.hoa, None), (s.lan, None)])  # fmt: skip
    refused(lambda: services.initiative_update(actor=None, initiative=one, data=data),
            "authors", "its authors cannot be changed unless the decision is reopened")  # fmt: skip
    data.authors = [(s.hoa, None)]
    data.value_vnd = 20_000_000
    refused(lambda: services.initiative_update(actor=None, initiative=one, data=data),
            "value_vnd", "cannot be changed unless the decision is reopened")  # fmt: skip
    data.value_vnd = 12_500_000
    services.initiative_update(actor=None, initiative=one, data=data)  # the title may change
    one.refresh_from_db()
    assert one.title == "Cải tiến băng tải số 2"
    refused(lambda: services.initiative_delete(actor=None, initiative=one, reason="x"), None,
            "reopen the decision")  # fmt: skip
    refused(lambda: services.initiative_reopen(actor=None, initiative=one, reason=" "),
            "reason", "Say why")  # fmt: skip
    services.initiative_reopen(actor=None, initiative=one, reason="Sai giá trị")
    one.refresh_from_db()
    assert (one.status, one.decided_on, one.decision_ref) == ("submitted", None, "")
    data.value_vnd = 20_000_000
    data.authors = [(s.hoa, None), (s.lan, None)]
    services.initiative_update(actor=None, initiative=one, data=data)
    one.refresh_from_db()
    assert one.value_vnd == 20_000_000 and one.authors.count() == 2
    actions = list(AuditEvent.objects.filter(target_type="initiatives.initiative")
                   .order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions == ["initiative.create", "initiative.recognise", "initiative.update",
                       "initiative.reopen", "initiative.update"]  # fmt: skip


def test_not_recognised_then_portal_and_delete(scene: Setup) -> None:
    s = scene
    one = record(s)
    services.initiative_decide(actor=None, initiative=one, recognised=False,
                               decided_on=D(2024, 4, 1), comment="Chưa có hiệu quả")  # fmt: skip
    one.refresh_from_db()
    assert (one.status, one.council_comment) == ("not_recognised", "Chưa có hiệu quả")
    two = record(s, title="Số hóa hồ sơ")
    refused(lambda: services.initiative_portal(actor=None, initiative=two, uploaded=True,
                                               uploaded_on=D(2024, 2, 1)),
            "portal_on", "cannot come before")  # fmt: skip
    services.initiative_portal(actor=None, initiative=two, uploaded=True, uploaded_on=D(2024, 3, 5))
    two.refresh_from_db()
    assert (two.on_portal, two.portal_on) == (True, D(2024, 3, 5))
    services.initiative_portal(actor=None, initiative=two, uploaded=False)
    two.refresh_from_db()
    assert (two.on_portal, two.portal_on) == (False, None)
    refused(lambda: services.initiative_delete(actor=None, initiative=two, reason=""), "reason",
            "Say why")  # fmt: skip
    pk = two.pk
    services.initiative_delete(actor=None, initiative=two, reason="Trùng")
    assert not Initiative.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="initiative.delete", target_id=str(pk))
    assert event.summary == "Số hóa hồ sơ: Trùng"


def test_targets(scene: Setup) -> None:
    s = scene
    p = s.programme
    assert dict(ProgrammeTarget.objects.filter(programme=p).values_list("unit__code", "target")) \
        == {"P": 10, "X": 6, "Y": 4}  # fmt: skip
    changed = services.targets_set(
        actor=None, programme=p, targets={s.tree.X.pk: "7", s.tree.Y.pk: 0, s.tree.X1.pk: 3}
    )
    assert changed == {s.tree.X.pk: 7, s.tree.Y.pk: 0, s.tree.X1.pk: 3}
    assert dict(ProgrammeTarget.objects.filter(programme=p).values_list("unit__code", "target")) \
        == {"P": 10, "X": 7, "X1": 3}  # fmt: skip
    refused(lambda: services.targets_set(actor=None, programme=p, targets={s.tree.Q1.pk: 5}),
            f"target_{s.tree.Q1.pk}", "units under Unit P only")  # fmt: skip
    refused(lambda: services.targets_set(actor=None, programme=p, targets={s.tree.X.pk: -1}),
            f"target_{s.tree.X.pk}", "cannot be negative")  # fmt: skip
    refused(lambda: services.targets_set(actor=None, programme=p, targets={s.tree.X.pk: "2,5"}),
            f"target_{s.tree.X.pk}", "whole number")  # fmt: skip
    assert AuditEvent.objects.filter(action="initiative_programme.target").count() == 6


def test_programme_period_must_hold_its_initiatives(scene: Setup) -> None:
    s = scene
    record(s, submitted_on=D(2024, 3, 1))
    data = services.ProgrammeData(name="1 triệu sáng kiến", start=D(2024, 6, 1), end=END)
    refused(lambda: services.programme_update(actor=None, programme=s.programme, data=data),
            "start", "1 initiatives were submitted outside")  # fmt: skip
    data = services.ProgrammeData(name="x", start=END, end=START)
    refused(lambda: services.programme_create(actor=None, unit=s.tree.P, data=data), "end",
            "ends (01/01/2024) before it starts (31/12/2025)")  # fmt: skip
    data = services.ProgrammeData(name="Sáng kiến 2024-2025", start=START, end=END,
                                  decision_ref="05/KH")  # fmt: skip
    services.programme_update(actor=None, programme=s.programme, data=data)
    s.programme.refresh_from_db()
    assert (s.programme.name, s.programme.decision_ref) == ("Sáng kiến 2024-2025", "05/KH")
    assert AuditEvent.objects.filter(action="initiative_programme.update").count() == 1
