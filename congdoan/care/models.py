"""Care and welfare (chăm lo): programmes and the support given under them, funds and their
ledgers, Mái ấm Công đoàn house grants, and loans from revolving funds. See DOMAIN.md §3.

Money is whole VND (`*_vnd`, integers). Records belong to a unit (the one that gives, handles
or owns them) and are seen by whoever reaches that unit; a programme is also seen by the units
below its owner (they record support under it).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import Upload
from congdoan.core.text import fold, person_sort_key
from congdoan.members.models import Member
from congdoan.org.models import Unit

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------------------------------------
# Funds


class FundKind(models.TextChoices):
    SOCIAL = "social", _("Social fund")  # Quỹ xã hội
    HOUSE = "house", _("Union Shelter fund")  # Quỹ "Mái ấm Công đoàn"
    LOAN = "loan", _("Revolving loan fund")  # Quỹ trợ vốn CNLĐ nghèo
    OTHER = "other", _("Other fund")


class Fund(models.Model):
    """A fund kept by a unit. Its balance on a day is the sum of its entries up to that day."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=FundKind.choices)
    allow_overdraft = models.BooleanField(_("may go below zero"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="fund_unit_name")]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    """Every movement of money in or out of a fund. Ins are positive amounts, outs negative."""

    DONATION = "donation", _("Donation in")
    ALLOCATION_IN = "allocation_in", _("Allocation from another fund")
    ALLOCATION_OUT = "allocation_out", _("Allocation to another fund")
    GRANT = "grant", _("Grant out")
    LOAN_OUT = "loan_out", _("Loan disbursed")
    REPAYMENT = "repayment", _("Loan repayment in")
    INTEREST = "interest", _("Interest in")
    REVERSAL = "reversal", _("Reversal")


ENTRY_SIGN = {
    EntryKind.DONATION: 1,
    EntryKind.ALLOCATION_IN: 1,
    EntryKind.ALLOCATION_OUT: -1,
    EntryKind.GRANT: -1,
    EntryKind.LOAN_OUT: -1,
    EntryKind.REPAYMENT: 1,
    EntryKind.INTEREST: 1,
    # a reversal takes the opposite sign of the entry it reverses
}


class FundEntry(models.Model):
    """One line of a fund's ledger. Never edited or deleted: a mistake is undone by a
    reversal entry pointing at it (`reverses`)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    kind = models.CharField(_("movement"), max_length=16, choices=EntryKind.choices)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))  # + in, - out
    # Who gave a donation (a unit whose members contributed), or the unit of the other fund.
    source_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counterpart = models.CharField(_("from / to"), max_length=255, blank=True)
    reference = models.CharField(_("decision or voucher"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # The other half of an allocation between two funds.
    pair = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    # What the money was for (at most one of these).
    support = models.ForeignKey(
        "Support", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    house = models.ForeignKey(
        "HouseCase", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    loan = models.ForeignKey(
        "Loan", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    # ...and, for a loan's repayment, which one (so reversing it finds its entries).
    repayment = models.ForeignKey(
        "LoanRepayment", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["fund", "date"], name="fundentry_fund_date"),
            models.Index(fields=["kind", "date"], name="fundentry_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.amount_vnd}"


# ---------------------------------------------------------------------------------------------
# Programmes and support


class ProgrammeKind(models.TextChoices):
    TET = "tet", _("Tết Sum vầy")
    COVID = "covid", _("Covid-19 support")
    WORKERS_MONTH = "workers_month", _("Workers' Month")
    HARDSHIP = "hardship", _("Visits to members in hardship")
    GIFTS = "gifts", _("Gifts")
    SCHOLARSHIP = "scholarship", _("Scholarships")
    OTHER = "other", _("Other")


class Programme(models.Model):
    """A care programme run by a unit for a period; units below it record support under it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    allow_cash = models.BooleanField(_("cash"), default=True)
    allow_in_kind = models.BooleanField(_("gifts in kind"), default=False)
    allow_voucher = models.BooleanField(_("vouchers"), default=False)
    repeat_allowed = models.BooleanField(_("a person may receive more than once"), default=False)
    # The most one person may receive (cash + in kind + vouchers) when there are no categories.
    max_per_person_vnd = models.BigIntegerField(_("most per person (VND)"), null=True, blank=True)
    budget_vnd = models.BigIntegerField(_("budget (VND)"), null=True, blank=True)
    fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="programmes"
    )  # cash paid under the programme is a grant out of this fund
    decision_ref = models.CharField(_("decision"), max_length=120, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("care programme")
        verbose_name_plural = _("care programmes")
        indexes = [models.Index(fields=["unit", "start"], name="programme_unit_start")]

    def __str__(self) -> str:
        return self.name


class ProgrammeCategory(models.Model):
    """A rule of a programme: the amount per person for a category of case (Covid support by
    severity: 3,000,000 for treatment, 1,500,000 for isolation, 5,000,000 on death)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("category"), max_length=200)
    amount_vnd = models.BigIntegerField(_("amount per person (VND)"))

    class Meta:
        verbose_name = _("programme category")
        verbose_name_plural = _("programme categories")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="category_programme_name")
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeItem(models.Model):
    """A gift in kind a programme hands out, with its value per unit (a 10 kg bag of rice)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item"), max_length=200)
    measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    unit_value_vnd = models.BigIntegerField(_("value per unit (VND)"))

    class Meta:
        verbose_name = _("gift item")
        verbose_name_plural = _("gift items")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="item_programme_name")
        ]

    def __str__(self) -> str:
        return self.name


class SupportStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    REVERSED = "reversed", _("Reversed")


LIVE_SUPPORT = [SupportStatus.PROPOSED, SupportStatus.APPROVED, SupportStatus.PAID]


def person_number(person_key: str) -> int:
    """A person key as a number: "c:001190000001" → 1190000001, "m:42" → -42."""
    kind, _sep, value = person_key.partition(":")
    if not value.isdigit():
        return 0
    return -int(value) if kind == "m" else int(value)


class Support(models.Model):
    """Support given (or proposed) to one person under a programme: a member, or a worker who is
    not a member (recorded with name and CCCD). Proposed by a unit, approved by the
    programme's owner, then paid; a paid case is never edited, only reversed."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="supports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("giving unit"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    person_name = models.CharField(_("full name"), max_length=120)
    # The name folded (search ignoring diacritics) and its Vietnamese sort key (given name
    # first); kept by save().
    name_key = models.CharField(max_length=120, editable=False, default="")
    sort_key = models.CharField(max_length=400, editable=False, default="")
    person_cccd = models.CharField(_("CCCD number"), max_length=12, blank=True)
    # Where the person works: their grassroots union, or an employer's name for others.
    person_unit = models.ForeignKey(
        Unit, verbose_name=_("union of the person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    employer_name = models.CharField(_("employer"), max_length=255, blank=True)
    # Who the person is, for counting people once and for the "only once" guard: "c:<CCCD>",
    # or "m:<member id>" for a member with no CCCD recorded.
    person_key = models.CharField(max_length=40, editable=False)
    # The same identity as a number, for counting people fast (COUNT(DISTINCT) on integers is
    # about three times cheaper than on text): the CCCD's digits, or minus the member id.
    person_no = models.BigIntegerField(editable=False, default=0)
    # person_key while the case is live in a programme that pays a person once; else NULL.
    once_key = models.CharField(max_length=40, null=True, blank=True, editable=False)
    category = models.ForeignKey(
        ProgrammeCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    cash_vnd = models.BigIntegerField(_("cash (VND)"), default=0)
    in_kind_vnd = models.BigIntegerField(_("gifts in kind (VND)"), default=0)
    voucher_vnd = models.BigIntegerField(_("vouchers (VND)"), default=0)
    reference = models.CharField(_("decision or voucher"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SupportStatus.choices, default=SupportStatus.PROPOSED
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)  # rejected or reversed
    proposed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)  # rejected or reversed
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        indexes = [
            models.Index(fields=["programme", "status"], name="support_programme_status"),
            models.Index(fields=["unit", "status", "date"], name="support_unit_status_date"),
            models.Index(fields=["status", "date"], name="support_status_date"),
            models.Index(fields=["person_key"], name="support_person"),
            models.Index(fields=["programme", "sort_key"], name="support_programme_name"),
        ]
        constraints = [
            # A programme that pays a person once cannot have two live cases for them, whoever
            # records them, wherever (checked by the database, so no race gets through).
            models.UniqueConstraint(
                fields=["programme", "once_key"],
                condition=Q(once_key__isnull=False),
                name="support_once_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(cash_vnd__gte=0) & Q(in_kind_vnd__gte=0) & Q(voucher_vnd__gte=0),
                name="support_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.programme_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = fold(self.person_name)
        self.sort_key = person_sort_key(self.person_name)
        self.person_no = person_number(self.person_key)
        if kwargs.get("update_fields") is not None and "person_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "sort_key"}
        if kwargs.get("update_fields") is not None and "person_key" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "person_no"}
        super().save(*args, **kwargs)

    @property
    def total_vnd(self) -> int:
        return self.cash_vnd + self.in_kind_vnd + self.voucher_vnd


class SupportItem(models.Model):
    """Gifts in kind given in one support case."""

    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ProgrammeItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    value_vnd = models.BigIntegerField(_("value (VND)"))  # quantity x the item's unit value

    class Meta:
        verbose_name = _("gift given")
        verbose_name_plural = _("gifts given")

    def __str__(self) -> str:
        return f"{self.quantity} x {self.item_id}"


class SupportUpload(Upload):
    """A spreadsheet list of support for a programme, given by a unit."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")  # who gives


# ---------------------------------------------------------------------------------------------
# House grants (Mái ấm Công đoàn)


class HouseKind(models.TextChoices):
    BUILD = "build", _("Build a new house")
    REPAIR = "repair", _("Repair a house")


class HouseStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    BUILDING = "building", _("Building")
    HANDED_OVER = "handed_over", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled")


class HouseCase(models.Model):
    """A Union Shelter house for a member in hardship: proposed by a unit (to a fund, often
    the province's), approved with an amount, built, handed over."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("build or repair"), max_length=8, choices=HouseKind.choices)
    amount_vnd = models.BigIntegerField(_("support (VND)"))
    circumstances = models.TextField(_("circumstances"), blank=True)
    to_fund = models.ForeignKey(
        Fund, verbose_name=_("proposed to fund"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=12, choices=HouseStatus.choices, default=HouseStatus.PROPOSED
    )
    proposed_on = models.DateField(_("proposed on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    started_on = models.DateField(_("building started on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    decision_ref = models.CharField(_("decision"), max_length=120, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("house case")
        verbose_name_plural = _("house cases")
        indexes = [models.Index(fields=["unit", "status"], name="house_unit_status")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="house_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member_id}"


class HouseContribution(models.Model):
    """Money towards a house: from a fund (a grant entry in its ledger) or from a sponsor."""

    case = models.ForeignKey(HouseCase, on_delete=models.CASCADE, related_name="contributions")
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    sponsor = models.CharField(_("sponsor"), max_length=255, blank=True)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    date = models.DateField(_("date"))
    entry = models.OneToOneField(
        FundEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.amount_vnd}"


class CareDocument(models.Model):
    """A photo or document attached to a house case, stored outside the web root and served
    only through an access-checked view."""

    house = models.ForeignKey(HouseCase, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="care/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------------------------------------
# Loans from a revolving fund (Quỹ trợ vốn CNLĐ nghèo)


class LoanStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for")
    APPROVED = "approved", _("Approved")
    DISBURSED = "disbursed", _("Disbursed")
    REPAID = "repaid", _("Repaid")
    REJECTED = "rejected", _("Rejected")


MAX_TERM_MONTHS = 24


class Loan(models.Model):
    """A loan to a member from a revolving fund: interest per month on the outstanding
    principal (e.g. 0.45%/month), principal repaid in equal monthly instalments."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="loans"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("union of the member"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    # Interest per month in hundredths of a percent: 45 is 0.45% a month.
    monthly_rate_bp = models.PositiveIntegerField(_("interest per month (0.01%)"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.APPLIED
    )
    applied_on = models.DateField(_("applied on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    closed_on = models.DateField(_("repaid on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    decision_ref = models.CharField(_("decision"), max_length=120, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [
            models.Index(fields=["fund", "status"], name="loan_fund_status"),
            models.Index(fields=["unit", "status"], name="loan_unit_status"),
            models.Index(fields=["status", "disbursed_on"], name="loan_status_disbursed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(term_months__gte=1) & Q(term_months__lte=MAX_TERM_MONTHS),
                name="loan_term_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.amount_vnd}"


class LoanInstalment(models.Model):
    """One line of a loan's repayment schedule, generated on disbursement."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due on"))
    principal_vnd = models.BigIntegerField(_("principal (VND)"))
    interest_vnd = models.BigIntegerField(_("interest (VND)"))

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="instalment_loan_number")
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} #{self.number}"


class LoanRepayment(models.Model):
    """Money paid back: principal (reduces what is owed) and interest (income of the fund)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    date = models.DateField(_("date"))
    principal_vnd = models.BigIntegerField(_("principal (VND)"))
    interest_vnd = models.BigIntegerField(_("interest (VND)"), default=0)
    reference = models.CharField(_("voucher"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A repayment recorded in error is reversed, never deleted: its fund entries get reversing
    # entries dated `reversed_on`, and it no longer counts towards what was repaid.
    reversed_on = models.DateField(_("reversed on"), null=True, blank=True)
    reversal_reason = models.CharField(_("reason for reversing"), max_length=500, blank=True)
    reversed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_vnd__gte=0) & Q(interest_vnd__gte=0),
                name="repayment_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.date}"
