"""The drawing of the app layers in docs/architecture.md and the import contracts say the same."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return [str(layer) for layer in layers]


def _drawn_layers() -> list[str]:
    doc = (ROOT / "docs" / "architecture.md").read_text()
    match = re.search(r"```layers\n(.*?)```", doc, re.S)
    assert match, "docs/architecture.md draws the layers in a ```layers block"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def test_the_documented_layers_are_the_contract() -> None:
    assert _drawn_layers() == _contract_layers()


def test_every_app_is_in_a_layer() -> None:
    apps = {
        f"gerbang.{p.name}"
        for p in (ROOT / "gerbang").iterdir()
        if (p / "__init__.py").exists() and (p / "apps.py").exists()
    }
    placed = {name.strip() for layer in _contract_layers() for name in layer.split("|")}
    assert apps <= placed, f"apps in no layer: {sorted(apps - placed)}"
