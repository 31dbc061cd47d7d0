from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "gerbang.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from gerbang.core.http import watch_public_models

        watch_public_models(self)
        from gerbang.content.search import documents
        from gerbang.core import search

        search.register("content", documents)
        from gerbang.content.campaigns import HIDDEN_COOKIE
        from gerbang.core.http import vary_public_pages_on_cookie

        vary_public_pages_on_cookie(HIDDEN_COOKIE)
