"""How the audit trail names the emulation actions (added to core's labels when the app loads)."""

from django.utils.translation import gettext_lazy as _

EMULATION_ACTION_LABELS = {
    "movement.create": _("Movement launched"),
    "movement.update": _("Movement changed"),
    "movement.delete": _("Movement deleted"),
    "movement.register": _("Registered for a movement"),
    "movement.unregister": _("Registration cancelled"),
    "bloc.create": _("Bloc created"),
    "bloc.update": _("Bloc changed"),
    "bloc.delete": _("Bloc deleted"),
    "bloc.rotate": _("Bloc copied to the next year with the next leader"),
    "pact.create": _("Pact drafted"),
    "pact.update": _("Pact changed"),
    "pact.open": _("Pact opened for signing"),
    "pact.withdraw": _("Pact taken back to draft"),
    "pact.sign": _("Pact signed by a unit"),
    "pact.signed": _("Pact signed by every unit"),
    "emulation.target_set": _("Emulation target set"),
    "emulation.achievement_set": _("Result typed in"),
    "emulation.indicator_create": _("Indicator defined"),
}
