"""How a channel says a delivery failed: worth trying again later, or never going to work."""


class TemporaryFailure(Exception):
    """The gateway, server or push service is away or busy: retried with growing delays."""


class PermanentFailure(Exception):
    """This message can never be delivered this way (a refused address, an expired subscription)."""
