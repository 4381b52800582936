"""Reading file facts (size, type, PDF page count) without trusting the file."""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROBE = Path(__file__).with_name("pdf_probe.py")

# Bounds for one PDF: CPU seconds and address space for the probe process, and the
# wall-clock time we wait for it. A real 500-page report takes well under a second.
CPU_SECONDS = 10
MEMORY_BYTES = 512 * 1024 * 1024
WALL_SECONDS = 20
MAX_PDF_BYTES = 200 * 1024 * 1024
MAX_PAGES = 100_000


@dataclass
class PdfResult:
    page_count: int | None
    problem: str = ""


def count_pdf_pages(data, *, cpu_seconds=CPU_SECONDS, memory_bytes=MEMORY_BYTES, wall_seconds=WALL_SECONDS):
    """Page count of PDF bytes, or a problem description. Never raises for a bad file."""
    if len(data) > MAX_PDF_BYTES:
        return PdfResult(None, "too large to read")
    if data.lstrip()[:5] != b"%PDF-":
        return PdfResult(None, "not a PDF file")
    try:
        completed = subprocess.run(  # noqa: S603 (fixed argv; the file only goes to stdin)
            [sys.executable, "-I", str(PROBE), str(cpu_seconds), str(memory_bytes)],
            input=data,
            capture_output=True,
            timeout=wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return PdfResult(None, f"took longer than {wall_seconds} s")
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        return PdfResult(None, (reason[-1] if reason else f"probe exited with {completed.returncode}")[:300])
    try:
        pages = int(json.loads(completed.stdout)["pages"])
    except (ValueError, KeyError, TypeError):
        return PdfResult(None, "unexpected probe output")
    if not 0 < pages <= MAX_PAGES:
        return PdfResult(None, f"implausible page count {pages}")
    return PdfResult(pages)
