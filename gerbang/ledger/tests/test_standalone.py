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


VERIFIER = [TLOG.parent / "verifier.py", TLOG.parent / "__main__.py", TLOG.parent / "__init__.py"]


def test_the_verifier_imports_only_the_standard_library_cryptography_and_tlog() -> None:
    for path in VERIFIER:
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = (
                top in sys.stdlib_module_names
                or top == "cryptography"
                or module.startswith("gerbang.ledger.tlog")
                or module == "gerbang.ledger.verifier"
            )
            assert allowed, f"{path.name} imports {module}"


def test_python_m_gerbang_ledger_runs_without_django(tmp_path: Path) -> None:
    """The whole command, run as an auditor runs it (here against an address nobody answers at),
    loads no Django and nothing of Gerbang but the ledger's verifier and tlog."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gerbang.ledger", "verify", "http://127.0.0.1:9/"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no key: the log's key could not be read from http://127.0.0.1:9/ledger/key" in result.stdout
    imported = {
        line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    assert "gerbang.ledger.verifier" in imported
    ours = {"gerbang", "gerbang.ledger", "gerbang.ledger.__main__", "gerbang.ledger.verifier"}
    loaded = sorted(
        m
        for m in imported
        if m.split(".")[0] == "django"
        or (m.split(".")[0] == "gerbang" and m not in ours and not m.startswith("gerbang.ledger.tlog"))
    )
    assert not loaded, loaded


def test_an_unreadable_state_file_stops_the_verifier(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gerbang.ledger", "verify", "http://127.0.0.1:9/", "--state", str(state)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "error: the state file:" in result.stderr and "is not JSON" in result.stderr
