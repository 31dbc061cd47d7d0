from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gerbang.core"
    label = "core"
    verbose_name = "Core"
