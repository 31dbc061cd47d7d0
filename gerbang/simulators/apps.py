from django.apps import AppConfig


class SimulatorsConfig(AppConfig):
    """Stand-ins for outside parties (the payment provider; later the SMS gateways), speaking
    their real protocols, for local development and tests. Never mounted in production."""

    name = "gerbang.simulators"
    label = "simulators"
    verbose_name = "Simulators"
