"""A person's copy of their data: JSON for machines, a PDF to read, and a ZIP with both and
every file they uploaded (Pasal 7 and 32 UU PDP; Pasal 13 for the machine-readable copy)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import get_language

from gerbang.accounts.models import User
from gerbang.core import formatting
from gerbang.core.pdf import render_pdf
from gerbang.privacy.services import Copy

FORMAT_VERSION = 1


def as_data(copy: Copy, subject: User) -> dict[str, Any]:
    return {
        "format": f"gerbang-personal-data/{FORMAT_VERSION}",
        "generated_at": copy.request.received_at,
        "request": copy.request.reference,
        "person_id": subject.pk,
        "sections": {
            section.key: {
                "title": str(section.title),
                "rows": section.rows,
                "files": [f.name for f in section.files],
            }
            for section in copy.sections
        },
    }


def as_json(copy: Copy, subject: User) -> bytes:
    return json.dumps(as_data(copy, subject), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return formatting.moment(value)
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def as_pdf(copy: Copy, subject: User) -> bytes:
    sections = [
        {
            "title": str(section.title),
            "rows": [[(key, _cell(value)) for key, value in row.items()] for row in section.rows],
            "files": [f.name for f in section.files],
        }
        for section in copy.sections
    ]
    return render_pdf(
        "privacy/export_pdf.html",
        {"subject": subject, "request": copy.request, "sections": sections, "language": get_language()},
    )


def as_zip(copy: Copy, subject: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", as_json(copy, subject))
        archive.writestr("data.pdf", as_pdf(copy, subject))
        missing = []
        for section in copy.sections:
            for item in section.files:
                try:
                    with item.open() as handle:
                        archive.writestr(f"files/{item.name}", handle.read())
                except OSError:
                    # A file the database names but the storage lost: the copy still comes, and
                    # says which file could not be given back (the office can be asked about it).
                    missing.append(item.name)
        if missing:
            archive.writestr(
                "files/MISSING.txt",
                "These files are recorded but could not be read from storage:\n" + "\n".join(missing) + "\n",
            )
    return buffer.getvalue()
