"""Count the pages of a PDF read from stdin, inside strict resource limits.

Run as a separate process by documents.pdf_facts (never imported by the web app):
a hostile PDF can make a parser spin or allocate without bound, and the limits set
here, before pypdf is imported, make the kernel stop this process instead of the
worker. Prints {"pages": N} on success; any failure exits non-zero.
"""

import json
import resource
import sys


def main():
    cpu_seconds, memory_bytes = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(sys.stdin.buffer.read()), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise SystemExit("encrypted")
    # get_num_pages() walks the page tree (bounded by pypdf's own limits) rather than
    # trusting the /Count the file claims.
    pages = reader.get_num_pages()
    json.dump({"pages": pages}, sys.stdout)


if __name__ == "__main__":
    main()
