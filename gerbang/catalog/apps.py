from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "gerbang.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from gerbang.core.http import watch_public_models

        watch_public_models(self)
        from gerbang.catalog.search import documents
        from gerbang.core import search

        search.register("catalog", documents)
        from gerbang.catalog.selectors import training_office_ids
        from gerbang.core.training import training_offices_from

        training_offices_from(training_office_ids)
