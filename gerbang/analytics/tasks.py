"""The analytics' background work (huey finds this module): the risk flags' tasks live in
``risk/tasks.py``."""

from gerbang.analytics.risk.tasks import refit_and_rescan, scan_case

__all__ = ["refit_and_rescan", "scan_case"]
