"""Is an uploaded file a PDF the ministry can open? Checked by content, never by its name.

Two stages, so that no web worker ever waits on a parser:

- `quick_problem(head, size)` runs in the upload request and costs nothing: an empty
  file, one over 20 MB, or one without the `%PDF-` signature is refused at the field.
- `inspect(path)` runs in the task worker (`pilots.portal.tasks.check_attachment`):
  pypdf reads the cross-reference table, the page tree and every page's content
  stream, in a child process with limits on CPU time, memory, wall time, pages,
  objects and decompressed bytes, so a hostile file costs at most a few seconds of
  one worker. No text is extracted: that is where crafted files spend minutes.

The child is forked from multiprocessing's fork server, which has pypdf loaded
already: a fork costs milliseconds where starting Python and importing pypdf costs
0.15 s of CPU, which matters when 300 uploads arrive in a minute. This module
imports nothing from Django, so the fork server stays small.
"""

import multiprocessing
import os
import resource
import sys

import pypdf
import pypdf.errors
from pypdf import PdfReader
from pypdf.generic import ArrayObject

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 2_000
MAX_OBJECTS = 200_000
MAX_STREAM_BYTES = 16 * 1024 * 1024  # one decoded content stream
MAX_CONTENT_BYTES = 64 * 1024 * 1024  # all pages' decoded content streams together
CPU_SECONDS = 5
WALL_SECONDS = 10
ADDRESS_SPACE = 768 * 1024 * 1024


def gettext_noop(message):
    """Marks a reason for makemessages without importing Django (see above): the reasons
    are stored and shown in bokmål, and translated where they are shown."""
    return message


EMPTY = gettext_noop("Filen er tom.")
TOO_BIG = gettext_noop("Filen er større enn 20 MB. Del den opp eller komprimer den, og prøv igjen.")
NOT_PDF = gettext_noop("Filen er ikke en PDF. Lagre dokumentet som PDF og prøv igjen.")
DAMAGED = gettext_noop("PDF-filen er skadet eller ufullstendig. Prøv å lagre den på nytt som PDF.")
ENCRYPTED = gettext_noop("PDF-filen er beskyttet med passord. Lagre den uten passord og prøv igjen.")
TOO_COMPLEX = gettext_noop(
    "PDF-filen er for stor eller sammensatt til at vi kan kontrollere den. "
    "Del den opp eller lagre den på nytt som PDF, og prøv igjen."
)

# The child's exit status says which reason applies (anything else: DAMAGED).
_REASONS = {0: None, 11: ENCRYPTED, 12: TOO_COMPLEX}


class _Refused(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


def quick_problem(head, size):
    """The reason a file of `size` bytes starting with `head` is refused at once, or None."""
    if size == 0:
        return EMPTY
    if size > MAX_BYTES:
        return TOO_BIG
    if not head.startswith(b"%PDF-"):
        return NOT_PDF
    return None


def inspect(path, wall_seconds=WALL_SECONDS):
    """The reason the PDF at `path` is refused, or None when it is usable.

    Blocks for at most `wall_seconds`; the child is killed after that."""
    child = _context.Process(target=_child_main, args=(str(path),), daemon=True)
    child.start()
    child.join(wall_seconds)
    if child.exitcode is None:
        child.kill()
        child.join()
        return TOO_COMPLEX
    if child.exitcode < 0:  # killed by a limit: SIGXCPU, or SIGKILL past the address space
        return TOO_COMPLEX
    return _REASONS.get(child.exitcode, DAMAGED)


def _child_main(path):
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    # pypdf's own limits (its defaults allow 75 MB per stream and 100,000 pages).
    pypdf.overwrite_configuration(
        maximum_declared_stream_length=MAX_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
        lzw_maximum_output_length=MAX_STREAM_BYTES,
        run_length_maximum_output_length=MAX_STREAM_BYTES,
        zlib_maximum_output_length=MAX_STREAM_BYTES,
        brotli_maximum_output_length=MAX_STREAM_BYTES,
        jbig2_maximum_output_length=MAX_STREAM_BYTES,
        page_tree_maximum_entries=MAX_PAGES,
    )
    try:
        _parse(path)
    except _Refused as refused:
        sys.exit(refused.status)
    except (pypdf.errors.LimitReachedError, MemoryError, RecursionError):
        sys.exit(12)
    except Exception:  # noqa: BLE001 - any other failure means "not a usable PDF"
        sys.exit(10)
    sys.exit(0)


def _parse(path):
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 1024))
        if b"%%EOF" not in handle.read():
            raise ValueError("truncated: no %%EOF marker near the end")
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        raise _Refused(11)
    if int(reader.trailer.get("/Size", 0)) > MAX_OBJECTS:
        raise _Refused(12)
    if len(reader.pages) < 1:  # the page tree, flattened within pypdf's entry limit
        raise ValueError("no pages")
    decoded = 0
    for page in reader.pages:
        decoded += _content_bytes(page)
        if decoded > MAX_CONTENT_BYTES:
            raise _Refused(12)


def _content_bytes(page):
    """How many bytes the page's content streams decode to (each decoded once, capped)."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = [item.get_object() for item in contents] if isinstance(contents, ArrayObject) else [contents]
    return sum(len(stream.get_data()) for stream in streams)


_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload([__name__])
