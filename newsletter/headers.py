"""List-Unsubscribe written the way mail providers read it (RFC 2369, RFC 8058).

Python's email package folds a header at 78 characters; a single token longer than
that, such as a long unsubscribe URL, it RFC 2047-encodes (`=?utf-8?q?=3Chttps…`) so
that it can be split. Gmail and Yahoo then see no URL at all, and one-click unsubscribe
is lost. A `ListHeader` is a header object in the email package's own sense (a value
with `name` and `fold()`), which the package writes as it is: plain ASCII `<URI>`
items, folded only at the whitespace between two items. Django passes it through
unchanged because it is a `str`.
"""

import re

# "<" URI ">" in printable ASCII: no spaces or line breaks, no "<" or ">" inside.
PLAIN_URI_ITEM = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")


class ListHeader(str):
    """`ListHeader("List-Unsubscribe", "<https://…>", "<mailto:…>")`."""

    def __new__(cls, name, *items):
        for item in items:
            # The email package's own check for line breaks (header injection) is skipped
            # for header objects, so each item is checked here instead.
            if not PLAIN_URI_ITEM.fullmatch(item):
                raise ValueError(f"{name}: {item!r} is not a plain ASCII <URI>.")
        header = super().__new__(cls, ", ".join(items))
        header.name = name
        header.uris = items
        return header

    def __getnewargs__(self):
        # copy and pickle (the test mail backend keeps a deep copy) rebuild it from these.
        return (self.name, *self.uris)

    def fold(self, *, policy):
        line = f"{self.name}: {self}"
        if not policy.max_line_length or len(line) <= policy.max_line_length:
            return line + policy.linesep
        return f"{self.name}: " + f",{policy.linesep} ".join(self.uris) + policy.linesep
