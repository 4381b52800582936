"""PDF files written by hand, for the demo, the tests and the benchmarks.

No external tools: a file is plain PDF syntax with a correct cross-reference table.

- `pdf_from_objects(objects)`: any object bodies, as given, for hostile files that a
  PDF library would refuse to write;
- `text_pdf(title, pages)`: a small valid text document (one Helvetica font with
  WinAnsiEncoding, so Norwegian letters work); with `size=` it is padded to exactly
  that many bytes, like a scanned council decision.
"""

import random

PADDING_SEED = 2024  # the same padding every run, so a benchmark uploads the same file


def pdf_from_objects(objects, *, root=1, info=None):
    """A PDF of the object bodies in `objects` (numbered from 1), with `root` as its
    catalogue and `info` (an object number) as its document information."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info_entry = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        info_entry,
        xref,
    )
    return bytes(out)


def _pdf_string(text):
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _text_objects(title, pages, language):
    """The objects of a text document: catalogue (1), page tree (2), font (3), then a
    content stream and a page per page, and the document information last."""
    objects = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    page_ids = []
    for number, lines in enumerate(pages, start=1):
        ops = [b"BT /F1 18 Tf 72 770 Td " + _pdf_string(title) + b" Tj ET"]
        y = 730
        for line in lines:
            ops.append(b"BT /F1 11 Tf 72 %d Td " % y + _pdf_string(line) + b" Tj ET")
            y -= 16
        ops.append(b"BT /F1 9 Tf 72 40 Td " + _pdf_string(f"Side {number} av {len(pages)}") + b" Tj ET")
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % len(objects)
        )
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Lang (" + language.encode() + b") >>"
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)
    objects.append(b"<< /Title " + _pdf_string(title) + b" /Producer (tests.factories.pdf) >>")
    return objects


def _padding(data):
    """A stream no page uses: random bytes do not compress, like a scan."""
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pdf(title, pages, *, language="nb-NO", size=None):
    """A PDF with one page per item in `pages` (each a list of lines); the title is
    printed at the top of every page and stored in the document information.
    With `size`, the file is padded to exactly `size` bytes."""
    objects = _text_objects(title, pages, language)
    info = len(objects)
    if size is None:
        return pdf_from_objects(objects, info=info)
    unpadded = len(pdf_from_objects([*objects, _padding(b"")], info=info))
    data = random.Random(PADDING_SEED).randbytes(max(0, size - unpadded))
    # The padding's length and the offsets after it take a few more digits, so try a few
    # bytes less; end-of-line bytes after %%EOF fill what a digit more skips.
    for cut in range(min(len(data), 12) + 1):
        pdf = pdf_from_objects([*objects, _padding(data[: len(data) - cut])], info=info)
        if 0 <= size - len(pdf) <= 2:
            return pdf + b"\n" * (size - len(pdf))
    raise ValueError(f"A PDF of these pages cannot be made exactly {size} bytes.")
