"""Uploaded PDFs: what active content they hold, and a copy rebuilt from their pages only.

A scan or a printed letter never needs to run anything. A PDF's active parts (scripts, actions
that launch programs, open other files or send form data, attached files, embedded media) live
in its object graph, under names a byte search cannot see: inside compressed object streams,
behind hex escapes (``/J#61vaScript``), in page and annotation actions, in the document's name
trees. So every object is read through the parser (pypdf decodes object streams and names), and
the kinds found are named to the person.

What is refused is what only a deliberate author puts in. Everything else that could act (a
link to a web address, an action on opening, a form field's actions) is not refused but left
behind: only a copy rebuilt from the pages (their content, resources and the look of their
annotations, nothing of the document catalogue) is stored, and that copy is checked again for
any action at all before it is kept. Officers only ever receive the rebuilt copy.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from enum import StrEnum

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

# More dictionaries and arrays than this is no scan or letter; reading them all would cost too much.
MAX_OBJECTS = 25_000


class Active(StrEnum):
    """Kinds of active content, the first five refused, the last one removed."""

    SCRIPT = "script"
    LAUNCH = "launch"  # run a program, or open another file or a file inside this one
    EMBEDDED_FILE = "embedded_file"
    FORM_SUBMISSION = "form_submission"  # send or import form data, XFA forms (which carry scripts)
    MEDIA = "media"  # rich media, movies, sounds, renditions, 3D
    ACTION = "action"  # any other action: links, actions on opening, named actions


REFUSED = frozenset(Active) - {Active.ACTION}

# The action types of ISO 32000-2 (section 12.6.4) and the kind of each.
_ACTION_TYPES = {
    "/JavaScript": Active.SCRIPT,
    "/ECMAScript": Active.SCRIPT,
    "/Launch": Active.LAUNCH,
    "/GoToR": Active.LAUNCH,
    "/GoToE": Active.LAUNCH,
    "/SubmitForm": Active.FORM_SUBMISSION,
    "/ImportData": Active.FORM_SUBMISSION,
    "/RichMediaExecute": Active.MEDIA,
    "/Rendition": Active.MEDIA,
    "/Movie": Active.MEDIA,
    "/Sound": Active.MEDIA,
    "/GoTo3DView": Active.MEDIA,
}
# Keys whose mere presence says what a dictionary is.
_KEYS = {
    "/JS": Active.SCRIPT,
    "/JavaScript": Active.SCRIPT,  # the name tree of document scripts
    "/EmbeddedFiles": Active.EMBEDDED_FILE,
    "/EF": Active.EMBEDDED_FILE,
    "/XFA": Active.FORM_SUBMISSION,
    "/RichMediaContent": Active.MEDIA,
    "/RichMediaSettings": Active.MEDIA,
    "/OpenAction": Active.ACTION,
    "/AA": Active.ACTION,
    "/A": Active.ACTION,
    "/URI": Active.ACTION,
}
_OTHER_ACTIONS = frozenset(
    {"/GoTo", "/GoToDp", "/Thread", "/URI", "/Hide", "/Named", "/SetOCGState", "/Trans", "/ResetForm"}
)
_TYPES = {"/EmbeddedFile": Active.EMBEDDED_FILE, "/Action": Active.ACTION}
_ANNOTATION_SUBTYPES = {
    "/FileAttachment": Active.EMBEDDED_FILE,
    "/RichMedia": Active.MEDIA,
    "/Screen": Active.MEDIA,
    "/Movie": Active.MEDIA,
    "/Sound": Active.MEDIA,
    "/3D": Active.MEDIA,
}

# What a kept annotation keeps: how it looks, never what it does or what it belongs to.
_ANNOTATION_LOOKS = frozenset(
    {
        "/Type",
        "/Subtype",
        "/Rect",
        "/AP",
        "/AS",
        "/F",
        "/Border",
        "/BS",
        "/C",
        "/CA",
        "/IC",
        "/Contents",
        "/QuadPoints",
        "/InkList",
        "/Vertices",
        "/L",
        "/LE",
        "/DA",
        "/Q",
        "/MK",
        "/NM",
        "/M",
    }
)
# Annotations whose purpose is to act (links) or to hold another file or media: not kept.
_ACTING_ANNOTATIONS = frozenset({"/Link", "/Popup", *_ANNOTATION_SUBTYPES})
# Page entries left behind: actions, article beads, private data of the program that made it.
_PAGE_ENTRIES_LEFT = ["/Annots", "/AA", "/B", "/PieceInfo", "/Metadata", "/Thumb"]


class TooComplex(Exception):
    """More objects than any scan or letter has."""


def _objects(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every object of the file: each one in the cross-reference tables (object streams
    included), and whatever the trailer reaches, each once."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject | None] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    count = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if not isinstance(item, DictionaryObject | ArrayObject):  # streams are dictionaries
            continue
        count += 1
        if count > MAX_OBJECTS:
            raise TooComplex
        values = item.values() if isinstance(item, DictionaryObject) else item
        pending.extend(v for v in values if isinstance(v, IndirectObject | DictionaryObject | ArrayObject))
        if isinstance(item, DictionaryObject):
            yield item


def _kinds_of(item: DictionaryObject) -> set[Active]:
    found = {kind for key, kind in _KEYS.items() if key in item}
    # /S names an action's type (elsewhere it names transitions, groups and borders, whose
    # names are none of these).
    action = str(item.get("/S", ""))
    if action in _ACTION_TYPES:
        found.add(_ACTION_TYPES[action])
    elif action in _OTHER_ACTIONS:
        found.add(Active.ACTION)
    if (kind := _TYPES.get(str(item.get("/Type", "")))) is not None:
        found.add(kind)
    if (kind := _ANNOTATION_SUBTYPES.get(str(item.get("/Subtype", "")))) is not None and "/Rect" in item:
        found.add(kind)
    return found


def active_content(reader: PdfReader) -> set[Active]:
    """The kinds of active content anywhere in the file. Raises TooComplex."""
    found: set[Active] = set()
    for item in _objects(reader):
        found |= _kinds_of(item)
        if found >= REFUSED:
            break
    return found


def _looks_of(annotation: DictionaryObject) -> DictionaryObject | None:
    if str(annotation.get("/Subtype", "")) in _ACTING_ANNOTATIONS:
        return None
    return DictionaryObject(
        {NameObject(key): value for key, value in annotation.items() if key in _ANNOTATION_LOOKS}
    )


def rebuilt(reader: PdfReader) -> bytes:
    """A new PDF of the same pages (content, resources, size, rotation, and the look of their
    annotations), without the document catalogue's scripts, actions, forms, attachments,
    outlines or metadata, and without any page's or annotation's actions."""
    writer = PdfWriter()
    for page in reader.pages:
        annotations = [
            looks
            for item in page.get("/Annots") or []
            if isinstance(annotation := item.get_object(), DictionaryObject)
            and (looks := _looks_of(annotation)) is not None
        ]
        copy = writer.add_page(page, excluded_keys=_PAGE_ENTRIES_LEFT)
        if annotations:
            copy[NameObject("/Annots")] = ArrayObject(looks.clone(writer) for looks in annotations)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
