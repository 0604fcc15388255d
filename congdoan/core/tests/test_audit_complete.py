"""Audit completeness (issue 8, point 4).

Every write service is marked `@audited` (core.audit). While the suite runs, every call of
every marked service is checked (core/tests/audit_check.py, installed by congdoan/conftest.py):
if it wrote a row, it must have left an audit record naming its actor, with the time and what
changed, or the test that called it fails. A whole run (`make test`) also fails if any service
was never performed by a test. These tests prove the check itself and that no service escapes
the mark."""

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from congdoan.conftest import Cast, Tree
from congdoan.core import audit
from congdoan.core.audit import audit_record, audited, nothing_changed
from congdoan.core.models import AuditEvent
from congdoan.core.tests import audit_check
from congdoan.org import services as org_services
from congdoan.org.models import Employer, TreeStamp, Unit

ROOT = Path(__file__).resolve().parents[2]

# Functions that take an `actor` but are not write services of their own, and why.
NOT_SERVICES = {
    "core/audit.py audit_record": "the recorder every service calls",
    "core/audit.py audit_update": "the recorder of an update (or of nothing changed)",
    "care/funds.py actor_may_write": "a question, writes nothing",
    "care/funds.py actor_may_see": "a question, writes nothing",
    "care/funds.py reverse_one": "a step of entry_reverse, movement_reverse and repayment_reverse",
    "care/support.py insert_support": "a step of support_record and the support import",
    "care/support.py mark_approved": "a step of support_record, support_approve and the import",
    "care/support.py mark_paid": "a step of support_record, support_pay and the import",
    "care/support.py support_decide": "chooses one of the services support_approve/_pay/...",
    "emulation/common.py user_or_none": "a helper, writes nothing",
    "emulation/common.py may_write": "a question, writes nothing",
    "initiatives/lists.py write_initiatives": "a step of the initiatives import_upload",
    "members/signals_registry.py on_merged": "a step of org unit_merge",
    "members/views.py roster_download": "a view's helper; the export is services.roster_exported",
    "privacy/services.py anonymise_leavers": "runs the service anonymise, once per person",
}


def _functions_with_actor() -> dict[str, ast.FunctionDef]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel.startswith(("demo/", "conftest")):
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                if "actor" in names:
                    found[f"{rel} {node.name}"] = node
    return found


def test_every_public_function_taking_an_actor_is_an_audited_service() -> None:
    found = _functions_with_actor()
    unmarked = [
        key
        for key, node in found.items()
        if key not in NOT_SERVICES
        and not any(ast.unparse(d) == "audited" for d in node.decorator_list)
    ]
    assert unmarked == []
    assert sorted(k for k in NOT_SERVICES if k not in found) == []  # the list is kept current


def test_every_service_is_registered_and_names_its_actor() -> None:
    services = audit_check.all_services()
    assert len(services) >= 130
    for name in services:
        module_name, _, function_name = name.rpartition(".")
        module = __import__(module_name, fromlist=[function_name])
        func = getattr(module, function_name)
        assert func.audited_service == name
        params = inspect.signature(func).parameters
        assert "actor" in params or "user" in params, name


# The check itself, on services written here for the purpose.


def _employer(name: str) -> Employer:
    return Employer.objects.create(name=name)


@audited
def silent_service(*, actor: Any, name: str) -> Employer:
    return _employer(name)


@audited
def honest_service(*, actor: Any, name: str) -> Employer:
    employer = _employer(name)
    audit_record(actor=actor, action="employer.create", target=employer, unit_id=None,
                 changes={"name": [None, name]})  # fmt: skip
    return employer


@audited
def impostor_service(*, actor: Any, name: str, other: User) -> Employer:
    employer = _employer(name)
    audit_record(actor=other, action="employer.create", target=employer, unit_id=None,
                 changes={"name": [None, name]})  # fmt: skip
    return employer


@audited
def vague_service(*, actor: Any, name: str) -> Employer:
    employer = _employer(name)
    audit_record(actor=actor, action="employer.create", target=employer, unit_id=None)
    return employer


@audited
def failing_service(*, actor: Any, name: str) -> Employer:
    _employer(name)
    raise ValueError("refused")


@audited
def reading_service(*, actor: Any) -> int:
    return Unit.objects.count()


@audited
def unchanged_service(*, actor: Any, name: str) -> int:
    _employer(name)
    nothing_changed()
    return 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "message"),
    [
        (silent_service, "wrote to org_employer without an audit record"),
        (vague_service, "recorded employer.create without saying what changed"),
    ],
)
def test_the_check_fails_a_write_left_out_of_the_trail(
    service: Callable[..., Employer], message: str
) -> None:
    actor = User.objects.create_user("clerk")
    with pytest.raises(AssertionError, match=message):
        service(actor=actor, name="Công ty May 10")
    # (The check runs after the service's transaction; the row is there, the test fails.)
    assert Employer.objects.filter(name="Công ty May 10").count() == 1


@pytest.mark.django_db
def test_the_check_fails_a_record_naming_someone_else() -> None:
    actor = User.objects.create_user("clerk")
    other = User.objects.create_user("other")
    with pytest.raises(AssertionError, match=f"naming user {other.pk}, not its actor {actor.pk}"):
        impostor_service(actor=actor, name="Công ty May 10", other=other)


@pytest.mark.django_db
def test_the_check_passes_and_proves_an_honest_service() -> None:
    actor = User.objects.create_user("clerk")
    audit_check.proven.discard(f"{__name__}.honest_service")
    employer = honest_service(actor=actor, name="Công ty May 10")
    event = AuditEvent.objects.get(target_type="org.employer", target_id=str(employer.pk))
    assert (event.actor_id, event.action, event.changes) == (
        actor.pk,
        "employer.create",
        {"name": [None, "Công ty May 10"]},
    )
    assert event.at is not None
    assert f"{__name__}.honest_service" in audit_check.proven
    # A system write (no actor) must name nobody.
    honest_service(actor=None, name="Công ty Dệt")
    assert AuditEvent.objects.filter(action="employer.create", actor=None).count() == 1


@pytest.mark.django_db
def test_a_refused_or_reading_call_needs_no_record_and_proves_nothing() -> None:
    actor = User.objects.create_user("clerk")
    audit_check.proven.discard(f"{__name__}.failing_service")
    with pytest.raises(ValueError, match="refused"):
        failing_service(actor=actor, name="Công ty May 10")
    assert Employer.objects.count() == 0  # its transaction was rolled back
    assert reading_service(actor=actor) == 0
    assert f"{__name__}.failing_service" not in audit_check.proven
    assert f"{__name__}.reading_service" not in audit_check.proven


@pytest.mark.django_db
def test_without_the_check_a_service_still_runs_in_one_transaction() -> None:
    """Production: no checker; `audited` only opens the transaction."""
    actor = User.objects.create_user("clerk")
    with audit_check.suspended():
        assert audit.checker == []
        employer = silent_service(actor=actor, name="Công ty May 10")
        with pytest.raises(ValueError):
            failing_service(actor=actor, name="Công ty Dệt")
    assert audit.checker == [audit_check.check]
    assert list(Employer.objects.values_list("pk", flat=True)) == [employer.pk]


def test_the_written_table_is_read_from_the_statement() -> None:
    assert audit_check.written_table('INSERT INTO "members_member" ("a") VALUES (1)') == (
        "members_member"
    )
    assert audit_check.written_table('  UPDATE "care_support" SET "status" = 1') == "care_support"
    assert audit_check.written_table('DELETE FROM "meetings_guest" WHERE 1') == "meetings_guest"
    assert audit_check.written_table('SELECT * FROM "members_member"') is None
    assert audit_check.written_table("SAVEPOINT s1") is None


def test_a_whole_run_fails_when_a_service_was_never_performed() -> None:
    everything = audit_check.all_services()
    some = sorted(everything)[0]
    assert audit_check.missing(everything) == []
    assert audit_check.missing(everything - {some}) == [some]


@pytest.mark.django_db
def test_a_service_that_finds_nothing_changed_keeps_nothing_and_records_nothing() -> None:
    actor = User.objects.create_user("clerk")
    assert unchanged_service(actor=actor, name="Công ty May 10") == 0
    assert (Employer.objects.count(), AuditEvent.objects.count()) == (0, 0)
    assert f"{__name__}.unchanged_service" not in audit_check.proven


def test_a_unit_saved_as_it_was_writes_nothing(tree: Tree, cast: Cast) -> None:
    """A product service: the form saved unchanged leaves the unit, the tree's stamp (which
    would empty the figures caches) and the trail as they were."""
    officer = User.objects.get(pk=cast.x_officer.pk)
    stamps = list(TreeStamp.objects.values_list("pk", "version"))
    events = AuditEvent.objects.count()
    unit = org_services.unit_update(actor=officer, unit=tree.X1, address=tree.X1.address)
    assert unit.address == tree.X1.address
    assert list(TreeStamp.objects.values_list("pk", "version")) == stamps
    assert AuditEvent.objects.count() == events
    changed = org_services.unit_update(actor=officer, unit=tree.X1, address="12 Lê Lợi")
    assert changed.address == "12 Lê Lợi"
    event = AuditEvent.objects.latest("id")
    assert (event.actor_id, event.action, event.changes["address"]) == (
        officer.pk,
        "unit.update",
        [tree.X1.address, "12 Lê Lợi"],
    )
