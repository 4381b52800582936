"""Small, valid text PDFs written by hand, for the demo and the tests.

No external tools: the file is plain PDF syntax (one Helvetica font with
WinAnsiEncoding, so Norwegian letters work) with a correct cross-reference table.
"""


def _pdf_string(text):
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(title, pages, *, language="nb-NO"):
    """A PDF with one page per item in `pages` (each a list of lines); the title
    is printed at the top of every page and stored in the document info."""
    objects = []  # bytes of objects 1..n

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    page_tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    for number, lines in enumerate(pages, start=1):
        ops = [b"BT /F1 18 Tf 72 770 Td " + _pdf_string(title) + b" Tj ET"]
        y = 730
        for line in lines:
            ops.append(b"BT /F1 11 Tf 72 %d Td " % y + _pdf_string(line) + b" Tj ET")
            y -= 16
        ops.append(b"BT /F1 9 Tf 72 40 Td " + _pdf_string(f"Side {number} av {len(pages)}") + b" Tj ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (page_tree, font, content)
            )
        )
    info = add(b"<< /Title " + _pdf_string(title) + b" /Producer (tests.factories.pdf) >>")
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[page_tree - 1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R /Lang (" % page_tree + language.encode() + b") >>"

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref,
    )
    return bytes(out)
