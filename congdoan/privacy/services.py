"""Personal data (Decree 13/2023/NĐ-CP): anonymising people who left the union long ago.

A person who left (withdrew or was expelled: status "left") more than
`settings.CONGDOAN_RETENTION_YEARS` (default 5) years ago keeps their place in every figure but
loses what identifies them: name, CCCD, exact date of birth (the year stays, for age bands),
phone, addresses, religion, education, job, member code, and the free text written about them
on care, award and discipline records. Sex, ethnicity, the party flag, the unit, the membership
spells and events and the care and award rows stay, so every count is what it was. The values
they had are also scrubbed from the audit trail (which keeps a marker), and the anonymisation
itself is audited without them.
"""

import datetime
import functools
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congdoan.awards.models import AwardRecipient, Discipline, Nominee
from congdoan.care.models import CareDocument, HouseCase, Loan, Support, SupportUpload
from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi
from congdoan.core.models import AuditEvent, JobStatus, UploadStatus
from congdoan.core.text import fold, person_sort_key
from congdoan.initiatives.models import InitiativeUpload
from congdoan.members.models import Member, MemberEvent, MembershipSpell, MemberStatus, RosterUpload
from congdoan.members.services import today

from .models import Anonymisation

Actor = User | AnonymousUser | None

DEFAULT_RETENTION_YEARS = 5
# What replaces a personal value in the audit trail.
MARK = "[anonymised]"
# Keys of an audit event's changes whose values are personal data, whatever the record.
PERSONAL_KEYS = frozenset(
    {
        "full_name", "birth_date", "cccd", "phone", "residence_address", "hometown_province",
        "hometown_ward", "residence_province", "residence_ward", "religion", "education",
        "qualification", "job_title", "card_number", "person_name", "person_cccd", "name",
        "description", "circumstances", "purpose", "achievements", "reason", "note",
    }
)  # fmt: skip
# Events that record an access, not a value: their changes say what was seen ("viewed").
ACCESS_ACTIONS = frozenset({"personal.view", "personal.export"})
# The member's fields cleared, with their neutral values.
CLEARED: dict[str, Any] = {
    "cccd": "",
    "phone": "",
    "residence_address": "",
    "hometown_province": None,
    "hometown_ward": None,
    "residence_province": None,
    "residence_ward": None,
    "religion": "none",
    "education": "",
    "qualification": "",
    "job_title": "",
    "card_number": None,
}


def retention_years() -> int:
    return int(getattr(settings, "CONGDOAN_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cutoff(as_of: datetime.date) -> datetime.date:
    """People who left on this day or before are past the retention period on `as_of`."""
    return _add_years(as_of, -retention_years())


def eligible(as_of: datetime.date | None = None) -> QuerySet[Member]:
    """People who left the union before the retention period and are not yet anonymised."""
    day = as_of or today()
    return Member.objects.filter(
        status=MemberStatus.LEFT,
        status_since__isnull=False,
        status_since__lte=cutoff(day),
        anonymisation__isnull=True,
    )


def is_anonymised(member: Member) -> bool:
    return Anonymisation.objects.filter(member_id=member.pk).exists()


def neutral_name(member: Member) -> str:
    """The name an anonymised person is shown by, in the federation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Anonymous %(number)s") % {"number": member.pk}


def _records_of(member: Member) -> Iterator[tuple[type[models.Model], QuerySet[Any]]]:
    """Every kind of record that points at the member (membership events, transfers, care
    cases, loans, houses, awards, nominations, discipline...), with the member's records of it."""
    for rel in Member._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        if model is None or model is Anonymisation or isinstance(model, str):
            continue
        field_name = rel.field.name  # type: ignore[union-attr]
        yield model, model._default_manager.filter(**{field_name: member})


def _related_targets(member: Member, support_ids: list[int]) -> Q:
    """Audit events of the member and of every record that points at them."""
    q = Q(target_type=Member._meta.label_lower, target_id=str(member.pk))
    for model, records in _records_of(member):
        ids = list(records.values_list("pk", flat=True))
        if ids:
            q |= Q(target_type=model._meta.label_lower, target_id__in=[str(i) for i in ids])
    if support_ids:
        q |= Q(target_type=Support._meta.label_lower, target_id__in=[str(i) for i in support_ids])
    return q


def _scrub(value: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_scrub(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, replacements) for k, v in value.items()}
    return value


def _scrub_events(q: Q, replacements: list[tuple[str, str]], day: datetime.date) -> int:
    """Replace personal values in these audit events' changes and summaries; each keeps an
    "anonymised" entry saying when."""
    events = list(AuditEvent.objects.filter(q))
    for event in events:
        changes: dict[str, Any] = {}
        for key, pair in (event.changes or {}).items():
            if key in PERSONAL_KEYS and event.action not in ACCESS_ACTIONS:
                values = pair if isinstance(pair, list) else [pair]
                changes[key] = [v if v in (None, "", False) else MARK for v in values]
            else:
                changes[key] = _scrub(pair, replacements)
        changes["anonymised"] = [None, day.isoformat()]
        event.changes = changes
        event.summary = _scrub(event.summary, replacements)[:500]
    AuditEvent.objects.bulk_update(events, ["changes", "summary"], batch_size=500)
    return len(events)


def _support_keys(member: Member, keys: list[str]) -> None:
    """Care counts people by `person_key` ("c:<CCCD>" or "m:<member id>"): give each of the
    person's CCCD keys a replacement without the number, one for one, so that the people
    counted (and the once-per-programme guard) stay exactly as they were."""
    taken = Support.objects.filter(person_key=f"m:{member.pk}").exists()
    for n, key in enumerate(sorted(keys)):
        if n == 0 and not taken:
            new_key, number = f"m:{member.pk}", -member.pk
        else:
            new_key, number = f"a:{member.pk}.{n}", -(10**15 + member.pk * 1000 + n)
        Support.objects.filter(person_key=key).update(person_key=new_key, person_no=number)
        Support.objects.filter(once_key=key).update(once_key=new_key)


@audited
def anonymise(member: Member, *, actor: Actor, as_of: datetime.date | None = None) -> Anonymisation:
    """Replace the personal data of a person who left the union before the retention period
    with neutral values, keeping every figure; scrub the old values from the audit trail."""
    day = as_of or today()
    member = Member.objects.select_for_update().get(pk=member.pk)
    if is_anonymised(member):
        raise ServiceError(_("%(name)s has already been anonymised.") % {"name": member.full_name})
    if member.status != MemberStatus.LEFT or member.status_since is None:
        raise ServiceError(
            _("Only people who have left the union can be anonymised; %(name)s has not.")
            % {"name": member.full_name}
        )
    if member.status_since > cutoff(day):
        raise ServiceError(
            _(
                "%(name)s left on %(left)s; personal data is kept %(years)s years after leaving "
                "(until %(until)s)."
            )
            % {
                "name": member.full_name,
                "left": date_vi(member.status_since),
                "years": retention_years(),
                "until": date_vi(_add_years(member.status_since, retention_years())),
            }
        )
    name = neutral_name(member)
    old_cccd, old_phone = member.cccd, member.phone
    replacements = [(member.full_name, name)]
    for value in (old_cccd, old_phone, member.residence_address, member.card_number or ""):
        if len(value) >= 4:
            replacements.append((value, MARK))

    # Care cases of the person: by the member, or by their CCCD before they were one.
    key_q = Q(member=member)
    if old_cccd:
        key_q |= Q(person_key=f"c:{old_cccd}")
    supports = list(Support.objects.filter(key_q).values_list("pk", "person_key", "person_name"))
    support_ids = [pk for pk, _key, _name in supports]
    for _pk, _key, person_name in supports:
        if person_name and person_name != member.full_name and len(person_name) >= 4:
            replacements.insert(0, (person_name, name))
    scrubbed = _scrub_events(_related_targets(member, support_ids), replacements, day)

    _support_keys(member, list({key for _pk, key, _name in supports if key.startswith("c:")}))
    Support.objects.filter(pk__in=support_ids).update(
        person_name=name,
        name_key=fold(name),
        sort_key=person_sort_key(name),
        person_cccd="",
        note="",
    )
    HouseCase.objects.filter(member=member).update(circumstances="")
    # Photos and papers of their house: deleted, the files once the transaction commits.
    documents = list(CareDocument.objects.filter(house__member=member).values_list("pk", "file"))
    CareDocument.objects.filter(pk__in=[pk for pk, _file in documents]).delete()
    for _pk, stored in documents:
        if stored:
            transaction.on_commit(functools.partial(default_storage.delete, stored))
    Loan.objects.filter(member=member).update(purpose="")
    AwardRecipient.objects.filter(member=member).update(name=name, description="")
    Nominee.objects.filter(member=member).update(achievements="")
    Discipline.objects.filter(member=member).update(reason="")
    MemberEvent.objects.filter(member=member).exclude(note="").update(note="")

    birth = member.birth_date.replace(month=1, day=1)
    MembershipSpell.objects.filter(member=member).update(birth_date=birth)
    for field, value in CLEARED.items():
        setattr(member, field, value)
    member.full_name = name
    member.name_key = fold(name)
    member.sort_key = person_sort_key(name)
    member.birth_date = birth
    member.save(update_fields=[*CLEARED, "full_name", "name_key", "sort_key", "birth_date"])
    done = Anonymisation.objects.create(
        member=member,
        left_on=member.status_since,
        done_by=actor if isinstance(actor, User) else None,
        events_scrubbed=scrubbed,
    )
    audit_record(
        actor=actor,
        action="personal.anonymise",
        target=member,
        unit_id=member.unit_id,
        changes={"events_scrubbed": [None, scrubbed], "documents_deleted": [None, len(documents)]},
        summary=name,
    )
    return done


def anonymise_leavers(
    *, actor: Actor = None, as_of: datetime.date | None = None, dry_run: bool = False
) -> int:
    """Anonymise every eligible person (one transaction each); the number done, or that would
    be done with `dry_run`."""
    ids = list(eligible(as_of).order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    for member in Member.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=500):
        anonymise(member, actor=actor, as_of=as_of)
    return len(ids)


# Uploaded spreadsheets, which hold the personal data of everyone listed in them.
UPLOAD_MODELS: tuple[type[RosterUpload | SupportUpload | InitiativeUpload], ...] = (
    RosterUpload, SupportUpload, InitiativeUpload,
)  # fmt: skip
DEFAULT_UPLOAD_RETENTION_DAYS = 30


def upload_retention_days() -> int:
    return int(getattr(settings, "CONGDOAN_UPLOAD_RETENTION_DAYS", DEFAULT_UPLOAD_RETENTION_DAYS))


@audited
def uploads_purge(*, actor: Actor = None, now: datetime.datetime | None = None) -> dict[str, int]:
    """Uploaded spreadsheets are kept `CONGDOAN_UPLOAD_RETENTION_DAYS` (30) days, for their
    preview, import and retry. After that, an imported file loses its content and the list of
    problems found in it (its counts stay, as the record of the import); a file never imported
    is deleted. Returns {"cleared": n, "deleted": n}."""
    before = (now or timezone.now()) - datetime.timedelta(days=upload_retention_days())
    done = {"cleared": 0, "deleted": 0}
    for model in UPLOAD_MODELS:
        # Not one a job is checking or importing now, nor one locked by such a job.
        old = (
            model.objects.filter(created_at__lt=before)
            .exclude(job__status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .select_for_update(skip_locked=True, of=("self",))
            .only("pk", "file_name", "unit_id")
        )
        for upload in old.exclude(status=UploadStatus.APPLIED):
            deleted, _by_model = model.objects.filter(
                pk=upload.pk, status__in=[UploadStatus.DRAFT, UploadStatus.CHECKED]
            ).delete()
            if deleted:
                audit_record(actor=actor, action="upload.delete", target=upload,
                             unit_id=upload.unit_id, changes={"file": [upload.file_name, None]},
                             summary=upload.file_name)  # fmt: skip
                done["deleted"] += 1
        applied = old.filter(status=UploadStatus.APPLIED).exclude(content=b"")
        cleared = []
        for upload in applied:
            audit_record(actor=actor, action="upload.clear", target=upload,
                         unit_id=upload.unit_id, changes={"content": [upload.file_name, None]},
                         summary=upload.file_name)  # fmt: skip
            cleared.append(upload.pk)
        if cleared:
            model.objects.filter(pk__in=cleared).update(content=b"", problems=[], columns=[])
            done["cleared"] += len(cleared)
    return done


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


# Internal columns left out of a person's record (search keys, counting keys).
_INTERNAL = frozenset({"name_key", "sort_key", "person_key", "person_no", "once_key", "is_demo"})


def member_record(member: Member) -> dict[str, Any]:
    """Everything the system holds about one person: their details and every record that
    points at them (membership events and spells, transfers, care cases, houses, loans,
    awards, nominations, discipline, initiatives), one list per kind of record."""
    fields = [
        f for f in Member._meta.concrete_fields if f.name not in _INTERNAL
    ]  # the member row itself
    details = {f.name: _json_value(getattr(member, f.attname)) for f in fields}
    details["unit_code"] = member.unit.code
    details["unit_name"] = member.unit.name
    details["status_label"] = str(member.get_status_display())
    related: dict[str, list[dict[str, Any]]] = {}
    for model, records in _records_of(member):
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in _INTERNAL and not isinstance(f, models.BinaryField)
        ]
        rows = records.order_by("pk").values(*names)
        related[model._meta.label_lower] = [
            {k: _json_value(v) for k, v in row.items()} for row in rows
        ]
    return {
        "member": details,
        "related": related,
        "exported_on": today().isoformat(),
    }


@audited
def record_exported(*, actor: Actor, member: Member, fmt: str) -> AuditEvent:
    """Record that one person's whole record left the system (Decree 13/2023/NĐ-CP)."""
    return audit_record(
        actor=actor,
        action="personal.export",
        target=member,
        unit_id=member.unit_id,
        changes={"format": [None, fmt], "record": [None, "member"]},
        summary=member.full_name,
    )
