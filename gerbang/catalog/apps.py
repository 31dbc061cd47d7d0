from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "gerbang.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from gerbang.core.http import public_pages_changed

        # Any change to what public pages show invalidates the page cache at once.
        for model in self.get_models():
            post_save.connect(
                public_pages_changed, sender=model, dispatch_uid=f"pages-{model._meta.label}-save"
            )
            post_delete.connect(
                public_pages_changed, sender=model, dispatch_uid=f"pages-{model._meta.label}-delete"
            )
        m2m_changed.connect(public_pages_changed, dispatch_uid=f"pages-{self.label}-m2m")
        from gerbang.catalog.search import documents
        from gerbang.core import search

        search.register("catalog", documents)
