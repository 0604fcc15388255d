"""Shared test fixtures: a small real tree and a fixed cast of users.

    C   Tổng Liên đoàn (central)
    └── P   LĐLĐ tỉnh (province)
        ├── X   LĐLĐ huyện X (upper)      — grassroots X1, X2, X3 (X1 has a union group X1T)
        ├── Y   LĐLĐ huyện Y (upper)      — grassroots Y1, Y2
        └── Z   Công đoàn xã Z (upper)    — no grassroots yet
    └── Q   LĐLĐ tỉnh Q (province)        — grassroots Q1 (outside P)

Cast: province officer (P), officer of X, officer of Y (siblings), viewer of P, grassroots
chair (officer of X1), admin of P.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from congdoan.org import services
from congdoan.org.models import Kind, Role, RoleKind, Unit

D = datetime.date
FOUNDED = D(2000, 1, 1)
SEED_TESTS = Path(__file__).parent / "demo" / "tests" / "seeds"
SEED_SCOPE = SEED_TESTS.relative_to(Path(__file__).parents[1]).as_posix()  # as in node ids


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the demo federation (demo/tests/seeds/conftest.py loads it once for
    them, a minute on PostgreSQL) come first, so that they are not the run's long tail."""
    items.sort(key=lambda item: SEED_TESTS not in item.path.parents)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """After a transactional test, whose teardown flushes every table, put back the rows the
    data migrations seed (the award forms, the holidays): later tests on this worker read them."""
    result = yield
    marker = item.get_closest_marker("django_db")
    # (Not for the replica tests: they run on their own, against two servers.)
    # (Nor after the worker's last test: its teardown has destroyed the test database.)
    kwargs = marker.kwargs if marker is not None else {}
    if kwargs.get("transaction") and "databases" not in kwargs and nextitem is not None:
        import importlib

        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        from congdoan.awards.catalogue import load as load_award_forms

        holidays = importlib.import_module("congdoan.meetings.migrations.0002_holidays")
        with item.config.stash[blocking_manager_key].unblock():
            load_award_forms(apps, None)
            holidays.seed(apps, None)
    return result


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under xdist, tests go to workers a module at a time (as `--dist loadscope`), except that
    the seed tests go together, so that one worker loads the demo and the other never does.
    (`--dist loadgroup` would say the same with marks, but it does not group under pytest 9.2:
    pytest-xdist issue #1386.)"""
    from xdist.scheduler import LoadScopeScheduling

    class SeedsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SEED_SCOPE + "/"):
                return SEED_SCOPE
            return super()._split_scope(nodeid)

    return SeedsTogether(config, log)


_proven_by_workers: set[str] = set()


def pytest_sessionstart(session: pytest.Session) -> None:
    """From here on, every call of a write service is checked for its audit records."""
    from congdoan.core.tests import audit_check

    audit_check.install()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    _proven_by_workers.update(node.workeroutput.get("audit_proven", []))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A worker hands over the services it proved audited; at the end of a whole run
    (CONGDOAN_AUDIT_GATE=1, set by `make test`) the run fails if some service was never
    performed by any test (core/tests/audit_check.py)."""
    import os

    from congdoan.core.tests import audit_check

    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["audit_proven"] = sorted(audit_check.proven)
        return
    if not os.environ.get("CONGDOAN_AUDIT_GATE") or exitstatus != 0:
        return
    missing = audit_check.missing(audit_check.proven | _proven_by_workers)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
    if missing:
        if reporter is not None:
            reporter.write_line(
                f"Write services that no test performed ({len(missing)}):", red=True
            )
            for name in missing:
                reporter.write_line(f"  {name}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter is not None:
        reporter.write_line(
            f"Audit: all {len(audit_check.all_services())} write services performed and audited."
        )


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Tests read messages in English (the msgids); Vietnamese is tested where it is asserted."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class Tree:
    C: Unit
    P: Unit
    X: Unit
    Y: Unit
    Z: Unit
    X1: Unit
    X2: Unit
    X3: Unit
    X1T: Unit
    Y1: Unit
    Y2: Unit
    Q: Unit
    Q1: Unit

    def refresh(self) -> None:
        for unit in vars(self).values():
            unit.refresh_from_db()


def make_unit(
    parent: Unit | None, code: str, kind: Kind, founded: datetime.date = FOUNDED, workforce: int = 0
) -> Unit:
    employer = {"name": f"Employer {code}", "workforce": workforce} if workforce else None
    return services.unit_create(
        actor=None,
        parent=parent,
        code=code,
        name=f"Unit {code}",
        kind=kind,
        founded_on=founded,
        employer=employer,
    )


@pytest.fixture
def tree(db: None) -> Tree:
    C = make_unit(None, "C", Kind.CONFEDERATION, D(1929, 7, 28))
    P = make_unit(C, "P", Kind.PROVINCIAL_FEDERATION, D(1990, 1, 1))
    X = make_unit(P, "X", Kind.DISTRICT_FEDERATION, D(1995, 1, 1))
    Y = make_unit(P, "Y", Kind.DISTRICT_FEDERATION, D(1995, 1, 1))
    Z = make_unit(P, "Z", Kind.COMMUNE, D(1995, 1, 1))
    X1 = make_unit(X, "X1", Kind.ENTERPRISE, workforce=100)
    X2 = make_unit(X, "X2", Kind.ENTERPRISE, workforce=50)
    X3 = make_unit(X, "X3", Kind.AGENCY, workforce=7)
    X1T = make_unit(X1, "X1T", Kind.GROUP)
    Y1 = make_unit(Y, "Y1", Kind.ENTERPRISE, workforce=30)
    Y2 = make_unit(Y, "Y2", Kind.SCHOOL, workforce=20)
    Q = make_unit(C, "Q", Kind.PROVINCIAL_FEDERATION, D(1990, 1, 1))
    Q1 = make_unit(Q, "Q1", Kind.ENTERPRISE, workforce=500)
    return Tree(C=C, P=P, X=X, Y=Y, Z=Z, X1=X1, X2=X2, X3=X3, X1T=X1T, Y1=Y1, Y2=Y2, Q=Q, Q1=Q1)


@dataclass
class Cast:
    superuser: AbstractBaseUser
    province_admin: AbstractBaseUser
    province_officer: AbstractBaseUser
    x_officer: AbstractBaseUser
    y_officer: AbstractBaseUser
    viewer: AbstractBaseUser
    chair: AbstractBaseUser
    nobody: AbstractBaseUser


def _user(
    username: str, unit: Unit | None = None, kind: str = RoleKind.OFFICER, superuser: bool = False
) -> AbstractBaseUser:
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, "", "pw")
    user = User.objects.create_user(username, "", "pw")
    if unit is not None:
        Role.objects.create(user=user, unit=unit, kind=kind)
    return user


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return Cast(
        superuser=_user("alice", superuser=True),
        province_admin=_user("bob", tree.P, RoleKind.ADMIN),
        province_officer=_user("carol", tree.P, RoleKind.OFFICER),
        x_officer=_user("dave", tree.X, RoleKind.OFFICER),
        y_officer=_user("erin", tree.Y, RoleKind.OFFICER),
        viewer=_user("frank", tree.P, RoleKind.VIEWER),
        chair=_user("grace", tree.X1, RoleKind.OFFICER),
        nobody=_user("heidi"),
    )


BORN = D(1990, 5, 1)
ADMITTED = D(2015, 3, 1)


def make_member(
    unit: Unit,
    full_name: str,
    *,
    birth: datetime.date = BORN,
    sex: str = "female",
    admit_on: datetime.date | None = ADMITTED,
    cccd: str = "",
    ethnicity: str = "01",
    party: bool = False,
) -> Any:
    from congdoan.members import services as member_services
    from congdoan.members.services import PersonData

    return member_services.member_create(
        actor=None,
        unit=unit,
        admit_on=admit_on,
        data=PersonData(
            full_name=full_name,
            birth_date=birth,
            sex=sex,
            cccd=cccd,
            ethnicity=ethnicity,
            party_member=party,
        ),
    )
