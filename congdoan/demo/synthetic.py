"""Synthetic organisation trees for benchmarks, written in bulk (not through the services,
which would take hours at national scale); the result is the same shape the services make."""

import datetime
import random

from django.db import transaction

from congdoan.org.models import KIND_LEVEL, Employer, Kind, Unit, UnitVersion
from congdoan.org.services import path_step


@transaction.atomic
def synth_tree(*, provinces: int, uppers: int, grassroots: int, seed: int = 1) -> Unit:
    """A central unit with `provinces` provinces, each with `uppers` upper units, each with
    `grassroots` grassroots unions (each with an employer). Returns the root."""
    rng = random.Random(seed)
    founded = datetime.date(2000, 1, 1)
    prefix = f"S{seed}"

    def level(parents: list[Unit], kind: Kind, per_parent: int, tag: str) -> list[Unit]:
        rows = [
            Unit(
                code=f"{prefix}-{tag}{p.pk}-{i}",
                name=f"{kind.label} {p.pk}-{i}",
                name_key=f"{tag.lower()} {p.pk} {i}",
                level=KIND_LEVEL[kind],
                kind=kind,
                parent=p,
                path="",
                depth=p.depth + 1,
                founded_on=founded,
            )
            for p in parents
            for i in range(per_parent)
        ]
        made = Unit.objects.bulk_create(rows, batch_size=2000)
        by_pk = {p.pk: p for p in parents}
        for u in made:
            u.path = by_pk[u.parent_id].path + path_step(u.pk)  # type: ignore[index]
        Unit.objects.bulk_update(made, ["path"], batch_size=2000)
        return made

    root = Unit.objects.create(
        code=f"{prefix}-ROOT",
        name="Synthetic confederation",
        name_key="synthetic",
        level=KIND_LEVEL[Kind.CONFEDERATION],
        kind=Kind.CONFEDERATION,
        path="",
        depth=0,
        founded_on=founded,
    )
    root.path = path_step(root.pk)
    root.save(update_fields=["path"])
    provs = level([root], Kind.PROVINCIAL_FEDERATION, provinces, "P")
    ups = level(provs, Kind.DISTRICT_FEDERATION, uppers, "U")
    grass = level(ups, Kind.ENTERPRISE, grassroots, "G")
    employers = Employer.objects.bulk_create(
        [Employer(name=f"Employer {g.pk}", workforce=rng.randint(10, 800)) for g in grass],
        batch_size=2000,
    )
    for g, e in zip(grass, employers, strict=True):
        g.employer = e
    Unit.objects.bulk_update(grass, ["employer"], batch_size=2000)
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit=u,
                valid_from=founded,
                parent_id=u.parent_id,
                path=u.path,
                name=u.name,
                level=u.level,
                kind=u.kind,
                status=u.status,
            )
            for u in [root, *provs, *ups, *grass]
        ],
        batch_size=2000,
    )
    return root
