"""The back office for superusers: read-only views of the tree's tables.

Every change goes through the pages (and so through the services, which validate, record the
dated history and audit); the admin only lets a superuser look.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Employer, RestructurePlan, Role, Unit, UnitEvent, UnitVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "status"]
    list_filter = ["level", "status", "kind"]
    search_fields = ["code", "name_key"]
    list_select_related = ["parent"]


@admin.register(UnitVersion)
class UnitVersionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "valid_from", "valid_to", "parent", "name", "status"]
    list_select_related = ["unit", "parent"]
    search_fields = ["unit__code"]


@admin.register(UnitEvent)
class UnitEventAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "effective_on", "decision_ref", "recorded_by", "recorded_at"]
    list_filter = ["kind"]
    list_select_related = ["unit", "recorded_by"]
    search_fields = ["unit__code", "decision_ref"]


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "tax_code", "ownership", "workforce"]
    search_fields = ["name", "tax_code"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "unit", "kind", "granted_by", "granted_at"]
    list_select_related = ["user", "unit", "granted_by"]


@admin.register(RestructurePlan)
class RestructurePlanAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "decision_ref", "effective_on", "status", "created_by"]
