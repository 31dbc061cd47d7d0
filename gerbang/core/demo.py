"""The demo data: each app says how to load its own, and ``manage.py load_demo`` runs them all.

An app registers its loader in its own ``demo.py`` (found when the demo is loaded, as the
audit log finds ``event_texts.py``), naming the apps whose demo data its own builds on. Loaders
run in the order of ``INSTALLED_APPS`` (the domain apps are listed after the apps they build
on), moved after any app they name that comes later. Every loader may run again and again: it
creates nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DemoLoader:
    app: str  # the app's label
    load: Callable[[], Any]
    after: tuple[str, ...] = ()
    # What the command's last line says of what ``load`` answered ("5 offices"), if anything.
    summary: Callable[[Any], str] | None = None

    def run(self) -> str | None:
        loaded = self.load()
        return None if self.summary is None else self.summary(loaded)


_loaders: dict[str, DemoLoader] = {}


def register(
    app: str,
    load: Callable[[], Any],
    *,
    after: Iterable[str] = (),
    summary: Callable[[Any], str] | None = None,
) -> None:
    """Load ``app``'s demo data with ``load``, after the demo data of the apps in ``after``."""
    _loaders[app] = DemoLoader(app, load, tuple(after), summary)


def _position(label: str) -> int:
    labels = [config.label for config in apps.get_app_configs()]
    return labels.index(label) if label in labels else len(labels)


def loaders() -> list[DemoLoader]:
    """Every registered loader, in the order they run."""
    autodiscover_modules("demo")
    waiting = sorted(_loaders.values(), key=lambda loader: _position(loader.app))
    ordered: list[DemoLoader] = []
    done: set[str] = set()
    while waiting:
        ready = next((loader for loader in waiting if set(loader.after) <= done), None)
        if ready is None:
            raise ImproperlyConfigured(
                "Demo loaders wait for apps that load no demo data, or for each other: "
                + ", ".join(f"{loader.app} after {', '.join(loader.after)}" for loader in waiting)
            )
        waiting.remove(ready)
        ordered.append(ready)
        done.add(ready.app)
    return ordered
