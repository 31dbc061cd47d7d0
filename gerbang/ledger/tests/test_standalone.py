"""gerbang.ledger.tlog stands alone: an outside auditor runs it with the standard library and `cryptography`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

TLOG = Path(__file__).resolve().parents[1] / "tlog"
ROOT = TLOG.parents[2]


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            modules.add(node.module or "")
    return modules


def test_the_package_imports_only_the_standard_library_cryptography_and_itself() -> None:
    sources = sorted(TLOG.glob("*.py"))
    assert {p.name for p in sources} >= {"merkle.py", "note.py", "checkpoint.py", "tiles.py"}
    for path in sources:
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = (
                top in sys.stdlib_module_names
                or top == "cryptography"
                or module == "gerbang.ledger.tlog"
                or module.startswith("gerbang.ledger.tlog.")
            )
            assert allowed, f"{path.name} imports {module}"


def test_the_package_loads_without_django_or_the_rest_of_gerbang() -> None:
    script = (
        "import sys\n"
        "import gerbang.ledger.tlog.checkpoint, gerbang.ledger.tlog.tiles\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('gerbang.') and not m.startswith('gerbang.ledger')))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, env={"PYTHONPATH": str(ROOT)})  # noqa: S603
