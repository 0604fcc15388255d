"""Blocs: direct sub-units of one level, one bloc per unit per owner and year (held by the
database too), a leader among the units, rotation to the next year, and bloc_of."""

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree, make_unit
from congdoan.core.audit import audit_display
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.emulation import blocs
from congdoan.emulation.blocs import BlocRef, bloc_of
from congdoan.emulation.models import Bloc, BlocMember
from congdoan.org import services as org_services
from congdoan.org.models import Kind

D = datetime.date


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def make(
    tree: Tree,
    name: str = "Khối huyện",
    units: Any = None,
    leader: Any = None,
    year: int = 2021,
    actor: Any = None,
) -> Bloc:
    units = units if units is not None else [tree.X, tree.Y, tree.Z]
    return blocs.bloc_create(
        actor=actor, owner=tree.P, year=year, name=name, units=units, leader=leader or units[0]
    )


def test_a_bloc_and_bloc_of(tree: Tree, cast: Cast) -> None:
    bloc = make(tree, actor=cast.province_officer, leader=tree.Y)
    assert [m.unit.code for m in blocs.members_of(bloc)] == ["X", "Y", "Z"]
    assert bloc.leader == tree.Y
    assert bloc_of([tree.X.pk, tree.Z.pk, tree.X1.pk], 2021) == {
        tree.X.pk: BlocRef(bloc.pk, "Khối huyện"),
        tree.Z.pk: BlocRef(bloc.pk, "Khối huyện"),
    }
    assert bloc_of([tree.X.pk], 2022) == {}
    event = AuditEvent.objects.get(action="bloc.create")
    assert event.changes["members"] == [None, "X; Y; Z"]


def test_bad_blocs_are_refused(tree: Tree, cast: Cast) -> None:
    make(tree, units=[tree.X, tree.Y])
    with pytest.raises(ServiceError, match="Unit X is already in the bloc “Khối huyện” for 2021"):
        make(tree, name="Khối 2", units=[tree.Z, tree.X])
    with pytest.raises(ServiceError, match="Unit X1 is not a direct sub-unit of Unit P"):
        make(tree, name="Khối 3", units=[tree.Z, tree.X1])
    with pytest.raises(ServiceError, match="The leader must be one of the bloc's units"):
        make(tree, name="Khối 4", units=[tree.Z], leader=tree.Y)
    with pytest.raises(ServiceError, match="There is already a bloc named “Khối huyện”"):
        make(tree, units=[tree.Z])
    with pytest.raises(ServiceError, match="Choose the units of the bloc"):
        make(tree, name="Khối 5", units=[], leader=tree.Z)
    p2 = make_unit(tree.P, "P2", Kind.ENTERPRISE)
    with pytest.raises(ServiceError, match="must be of the same level"):
        make(tree, name="Khối 6", units=[tree.Z, p2])
    # The same unit in another year, or under another owner, is fine.
    make(tree, units=[tree.X], year=2022)
    assert Bloc.objects.count() == 2
    # The database holds the rule even without the service.
    bloc = Bloc.objects.get(year=2021)
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocMember.objects.create(bloc=bloc, unit=tree.X, owner=tree.P, year=2021)


def test_change_and_delete(tree: Tree, cast: Cast) -> None:
    bloc = make(tree, units=[tree.X, tree.Y])
    blocs.bloc_update(
        actor=cast.province_officer,
        bloc=bloc,
        name="Khối A",
        units=[tree.X, tree.Y, tree.Z],
        leader=tree.Z,
    )
    bloc.refresh_from_db()
    assert (bloc.name, bloc.leader_id) == ("Khối A", tree.Z.pk)
    assert [m.unit.code for m in blocs.members_of(bloc)] == ["X", "Y", "Z"]
    event = AuditEvent.objects.get(action="bloc.update")
    assert event.changes["members"] == ["X; Y", "X; Y; Z"]
    # The trail names every change by a label, the leader by its name.
    [row] = audit_display([event])
    assert row["changes"] == [
        ("Name", "Khối huyện", "Khối A"),
        ("Leader unit", "Unit X", "Unit Z"),
        ("Bloc members", "X; Y", "X; Y; Z"),
    ]
    blocs.bloc_delete(actor=cast.province_officer, bloc=bloc)
    assert Bloc.objects.count() == 0 and BlocMember.objects.count() == 0


def test_rotation_copies_the_blocs_with_the_next_leader(tree: Tree, cast: Cast) -> None:
    first = make(tree, name="Khối 1", units=[tree.X, tree.Y], leader=tree.Y)
    make(tree, name="Khối 2", units=[tree.Z], leader=tree.Z)
    made = blocs.blocs_rotate(actor=cast.province_officer, owner=tree.P, year=2021)
    assert [(b.name, b.year, b.leader.code) for b in made] == [
        ("Khối 1", 2022, "X"),  # after Y comes X again (wrapping round)
        ("Khối 2", 2022, "Z"),
    ]
    again = blocs.blocs_rotate(actor=None, owner=tree.P, year=2022)
    assert [b.leader.code for b in again] == ["Y", "Z"]
    with pytest.raises(ServiceError, match="The blocs for 2022 already exist"):
        blocs.blocs_rotate(actor=None, owner=tree.P, year=2021)
    with pytest.raises(ServiceError, match="has no blocs for 2030"):
        blocs.blocs_rotate(actor=None, owner=tree.P, year=2030)
    # A unit that is gone is left out and skipped as leader.
    org_services.unit_dissolve(
        actor=None, unit=tree.Z, effective_on=D(2024, 1, 1), decision_ref="1"
    )
    later = blocs.blocs_rotate(actor=None, owner=tree.P, year=2023)
    assert [(b.name, b.leader.code) for b in later] == [("Khối 1", "X")]
    assert first.leader.code == "Y"
    assert AuditEvent.objects.filter(action="bloc.rotate").count() == 5


def test_the_pages(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_officer)
    response = client.post(
        reverse("bloc_create", args=[tree.P.pk]) + "?year=2021",
        {"name": "Khối huyện", "members": [tree.X.pk, tree.Y.pk], "leader": tree.Y.pk},
    )
    bloc = Bloc.objects.get()
    assert response["Location"] == f"/emulation/blocs/{bloc.pk}/"
    assert bloc.year == 2021
    again = client.post(
        reverse("bloc_create", args=[tree.P.pk]) + "?year=2021",
        {"name": "Khối 2", "members": [tree.Y.pk, tree.Z.pk], "leader": tree.Z.pk},
    )
    assert "Unit Y is already in the bloc “Khối huyện” for 2021" in again.content.decode()
    listing = client.get(reverse("unit_blocs", args=[tree.P.pk]), {"year": 2021}).content.decode()
    assert "Khối huyện" in listing and "1 sub-unit is in no bloc this year" in listing
    # The member units' users see their bloc; a sibling outside it does not see the owner's.
    assert login(cast.x_officer).get(reverse("bloc_detail", args=[bloc.pk])).status_code == 200
    assert login(cast.x_officer).get(reverse("bloc_edit", args=[bloc.pk])).status_code == 404
    assert login(cast.chair).get(reverse("bloc_detail", args=[bloc.pk])).status_code == 404
    # The owner's pages show the trail of the bloc (and of its pact).
    blocs.bloc_update(
        actor=None, bloc=bloc, name="Khối huyện", units=[tree.X, tree.Y, tree.Z], leader=tree.Y
    )
    detail = client.get(reverse("bloc_detail", args=[bloc.pk]))
    assert detail.status_code == 200 and "X; Y; Z" in detail.content.decode()
    assert client.get(reverse("unit_detail", args=[tree.P.pk])).status_code == 200
    client.post(reverse("blocs_rotate", args=[tree.P.pk]), {"year": "2021"})
    assert Bloc.objects.get(year=2022).leader == tree.Z  # after Y in the order X, Y, Z


def test_blocs_are_listed_in_the_order_they_were_made(tree: Tree) -> None:
    from congdoan.emulation.figures import emulation_section
    from congdoan.grading.figures import Ranked, rank_in_groups

    for name, unit in (("Cụm thi đua số 1", tree.X), ("Cụm thi đua số 2", tree.Y),
                       ("Cụm thi đua số 10", tree.Z)):  # fmt: skip
        make(tree, name=name, units=[unit])
    names = ["Cụm thi đua số 1", "Cụm thi đua số 2", "Cụm thi đua số 10"]
    assert [b.name for b in blocs.blocs_of_owner(tree.P, 2021)] == names
    section = emulation_section(tree.P, datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    assert [b["name"] for b in section["blocs"]] == names
    rows = [Ranked(unit_id=u.pk, code=u.code, name=u.name, total_tenths=900, grade="HTXSNV",
                   strong=True) for u in (tree.Z, tree.Y, tree.X, tree.Q)]  # fmt: skip
    groups = rank_in_groups(rows, lambda ids: bloc_of(ids, 2021))
    assert [g.name for g in groups] == [*names, "Not in a bloc"]
