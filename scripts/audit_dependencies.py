"""Known vulnerabilities in the pinned requirements, with pip-audit (pinned in
requirements-audit.txt, installed in .venv-audit by `make audit`).

pip-audit asks a vulnerability service about each pinned version: PyPI's JSON API
(https://pypi.org/pypi/<name>/<version>/json, whose "vulnerabilities" come from the PyPA
advisory database) or OSV (https://api.osv.dev). A machine that reaches neither cannot audit:
then this says so plainly, names what it tried, and exits 0 without pretending to have checked;
a machine that reaches one fails on any known vulnerability (or any requirement it could not
look up).

  .venv-audit/bin/python scripts/audit_dependencies.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_AUDIT = ROOT / ".venv-audit" / "bin" / "pip-audit"
REQUIREMENTS = [
    "requirements.txt",
    "requirements-dense.txt",
    "requirements-biometrics.txt",
    "requirements-dev.txt",
]
# A release that has been on PyPI for years, with published advisories: both services know it.
PROBE_PYPI = "https://pypi.org/pypi/django/4.2/json"
PROBE_OSV = "https://api.osv.dev/v1/query"


def reachable_service() -> tuple[str | None, list[str]]:
    """The service to audit against, or None, with what each probe answered."""
    tried: list[str] = []
    try:
        with urllib.request.urlopen(PROBE_PYPI, timeout=15) as answer:
            if "vulnerabilities" in json.load(answer):
                return "pypi", tried
            tried.append(f"{PROBE_PYPI}: no vulnerability data in the answer")
    except (urllib.error.URLError, OSError, ValueError) as error:
        tried.append(f"{PROBE_PYPI}: {error}")
    query = json.dumps({"package": {"name": "django", "ecosystem": "PyPI"}, "version": "4.2"}).encode()
    request = urllib.request.Request(PROBE_OSV, data=query, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:  # noqa: S310 - a fixed https URL
            if "vulns" in json.load(answer):
                return "osv", tried
            tried.append(f"{PROBE_OSV}: no vulnerability data in the answer")
    except (urllib.error.URLError, OSError, ValueError) as error:
        tried.append(f"{PROBE_OSV}: {error}")
    return None, tried


def main() -> int:
    if not PIP_AUDIT.exists():
        print(f"{PIP_AUDIT} is missing: run `make audit`, which installs it.", file=sys.stderr)
        return 2
    service, tried = reachable_service()
    if service is None:
        print("== pip-audit NOT RUN: no vulnerability service is reachable from this machine.")
        for line in tried:
            print(f"   {line}")
        print("   Run `make audit` where PyPI's JSON API or OSV can be reached.")
        return 0
    command = [str(PIP_AUDIT), "--strict", "--progress-spinner", "off", "--vulnerability-service", service]
    for requirements in REQUIREMENTS:
        command += ["--requirement", requirements]
    print(f"== pip-audit against {service}: {', '.join(REQUIREMENTS)}", flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603 - our pinned tool


if __name__ == "__main__":
    sys.exit(main())
