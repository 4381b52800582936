"""Is an uploaded file really a PDF? Checked by content, never by its name.

First the file signature (`%PDF-` at the start), then a full parse with pypdf in
a separate process with limits on CPU time, memory and wall time, so a hostile or
broken file can neither hang nor exhaust the web process.

Run as a script (`python pdfcheck.py FILE`) it is that separate process: exit
status 0 means the file parsed and has at least one page.
"""

import os
import resource
import subprocess
import sys

from pypdf import PdfReader

MAX_BYTES = 20 * 1024 * 1024
CPU_SECONDS = 10
ADDRESS_SPACE = 1024 * 1024 * 1024
WALL_SECONDS = 20


class NotAPdf(Exception):
    """The message is for the applicant."""


def _limit_resources():  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


def check_pdf(path, size):
    """Raise NotAPdf with a Norwegian message unless the file at `path` is a usable PDF."""
    if size == 0:
        raise NotAPdf("Filen er tom.")
    if size > MAX_BYTES:
        raise NotAPdf("Filen er større enn 20 MB.")
    with open(path, "rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise NotAPdf("Filen er ikke en PDF. Lagre dokumentet som PDF og prøv igjen.")
    try:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
            [sys.executable, "-I", os.path.abspath(__file__), str(path)],
            preexec_fn=_limit_resources,  # noqa: PLW1509 - the web server is not threaded while forking here
            capture_output=True,
            timeout=WALL_SECONDS,
            env={"PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired as error:
        raise NotAPdf("Vi klarte ikke å lese PDF-filen. Prøv å lagre den på nytt som PDF.") from error
    if completed.returncode != 0:
        raise NotAPdf("PDF-filen er skadet eller ufullstendig. Prøv å lagre den på nytt som PDF.")


def _parse(path):
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 1024))
        if b"%%EOF" not in handle.read():
            raise ValueError("truncated: no %%EOF marker near the end")

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        raise ValueError("encrypted")
    pages = len(reader.pages)
    if pages < 1:
        raise ValueError("no pages")
    for page in reader.pages:
        page.extract_text()


if __name__ == "__main__":
    try:
        _parse(sys.argv[1])
    except Exception:  # noqa: BLE001 - any failure means "not a usable PDF"
        sys.exit(1)
    sys.exit(0)
