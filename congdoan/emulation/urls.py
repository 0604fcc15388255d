"""The emulation pages: movements, blocs and pacts, targets."""

from django.urls import path

from . import views_blocs as b
from . import views_movements as m
from . import views_targets as t

urlpatterns = [
    path("emulation/", m.home, name="emulation_home"),
    path("emulation/units/<int:pk>/", m.unit_emulation, name="unit_emulation"),
    # Movements (phong trào thi đua)
    path("emulation/units/<int:pk>/movements/new/", m.movement_create, name="movement_create"),
    path("emulation/movements/<int:pk>/", m.movement_detail, name="movement_detail"),
    path("emulation/movements/<int:pk>/edit/", m.movement_edit, name="movement_edit"),
    path("emulation/movements/<int:pk>/delete/", m.movement_delete, name="movement_delete"),
    path("emulation/movements/<int:pk>/register/", m.movement_register, name="movement_register"),
    path(
        "emulation/registrations/<int:pk>/cancel/",
        m.registration_cancel,
        name="registration_cancel",
    ),
    # Blocs (khối thi đua) and pacts (giao ước)
    path("emulation/units/<int:pk>/blocs/", b.unit_blocs, name="unit_blocs"),
    path("emulation/units/<int:pk>/blocs/new/", b.bloc_create, name="bloc_create"),
    path("emulation/units/<int:pk>/blocs/rotate/", b.blocs_rotate, name="blocs_rotate"),
    path("emulation/blocs/<int:pk>/", b.bloc_detail, name="bloc_detail"),
    path("emulation/blocs/<int:pk>/edit/", b.bloc_edit, name="bloc_edit"),
    path("emulation/blocs/<int:pk>/delete/", b.bloc_delete, name="bloc_delete"),
    path("emulation/blocs/<int:pk>/pact/", b.pact_edit, name="pact_edit"),
    path("emulation/blocs/<int:pk>/pact/open/", b.pact_open, name="pact_open"),
    path("emulation/blocs/<int:pk>/pact/withdraw/", b.pact_withdraw, name="pact_withdraw"),
    path("emulation/blocs/<int:pk>/pact/sign/", b.pact_sign, name="pact_sign"),
    path("emulation/blocs/<int:pk>/pact/document/", b.pact_document, name="pact_document"),
    # Targets (chỉ tiêu)
    path("emulation/units/<int:pk>/targets/", t.unit_targets, name="emulation_targets"),
    path("emulation/units/<int:pk>/targets/grid/", t.targets_grid, name="targets_grid"),
    path("emulation/units/<int:pk>/indicators/", t.unit_indicators, name="unit_indicators"),
]
