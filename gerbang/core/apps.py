from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gerbang.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from gerbang.core import checks  # noqa: F401 - registers the system checks
        from gerbang.core.debug import use_site_not_found_page

        use_site_not_found_page()
