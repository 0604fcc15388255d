from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "congdoan.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import hooks
        from .figures_cache import bump_tree

        # Figures of a subtree are cached; a move or a merge changes what a subtree holds.
        hooks.moved_listeners.append(lambda moved: bump_tree())
        hooks.merged_listeners.append(lambda source, target, day, actor: bump_tree())
