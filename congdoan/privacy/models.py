"""What the personal-data pages keep of their own: which people were anonymised, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congdoan.members.models import Member


class Anonymisation(models.Model):
    """A person whose personal data was replaced by neutral values after the retention period
    (Decree 13/2023/NĐ-CP). Its presence is the marker that the member row holds no personal
    data any more, so that the work is never done twice."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="anonymisation", verbose_name=_("member")
    )
    left_on = models.DateField(_("left the union on"))
    done_at = models.DateTimeField(_("anonymised at"), auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("anonymised by"),
    )  # fmt: skip
    events_scrubbed = models.PositiveIntegerField(_("audit events scrubbed"), default=0)

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        return f"{self.member_id} {self.done_at:%Y-%m-%d}"
