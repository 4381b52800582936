"""What a visitor typed, as words and as terms of a PostgreSQL tsquery, and the SQL
conditions `policy.search` builds its query from."""

import re
from dataclasses import dataclass, field

from django.db.models import BooleanField, Func, TextField, Value

WORD = re.compile(r"\w+")
# Short words would match too many unrelated ones: one or two letters match whole
# words only ("e" of "e-post"), three also the start of a word ("lov" finds
# "lovforslag", but not "klovn"), four or more also a part of a compound ("avtale"
# finds "bygdevekstavtaler").
PREFIX_MIN_LENGTH = 3
INFIX_MIN_LENGTH = 4


@dataclass
class ParsedQuery:
    """What a visitor typed, as words: every word must occur, "words in quotes" must
    occur together, and a -word must not occur.

    Only word characters are kept, so nothing typed (operators, unclosed quotes, NUL
    bytes) can make the database reject the query."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text):
        parsed = cls()
        for number, part in enumerate(text.split('"')):
            if number % 2:  # between quotes (an unclosed quote runs to the end)
                if words := WORD.findall(part):
                    parsed.phrases.append(" ".join(words))
                continue
            for token in part.split():
                words = WORD.findall(token)
                (parsed.excluded if token.startswith("-") else parsed.words).extend(words)
        return parsed

    def __bool__(self):
        return bool(self.words or self.phrases or self.excluded)


class Matches(Func):
    """`vector @@ query`, as a condition."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Contains(Func):
    """`text ILIKE '%fragment%'`, as a condition the trigram indexes answer (Django's
    `icontains` wraps both sides in UPPER(), which no index answers)."""

    arg_joiner = " ILIKE "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, text, fragment):
        escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        super().__init__(text, Value(f"%{escaped}%"))


class HtmlEscaped(Func):
    """The text as HTML text, as django.utils.html.escape makes it."""

    template = (
        "replace(replace(replace(replace(replace(%(expressions)s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
        "'\"', '&quot;'), '''', '&#x27;')"
    )
    output_field = TextField()


class IsEmpty(Func):
    """True for a tsquery with nothing left in it: its words were all stop words."""

    function = "numnode"
    template = "(%(function)s(%(expressions)s) = 0)"
    output_field = BooleanField()


# Endings of inflected Norwegian words, longest first (see `fragment`).
ENDINGS = ("ene", "ane", "ens", "ets", "er", "ar", "en", "et", "e", "a")


def fragment(word):
    """The part of a word that its inflected forms share, roughly ("avtaler" and
    "avtale" → "avtal"), to find it inside compounds ("bygdevekstavtalen"). Whole words
    and their starts are matched by the index's own stemmer, in the database."""
    word = word.lower()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= INFIX_MIN_LENGTH:
            return word[: -len(ending)]
    return word


def term(word, prefix=False):
    """One term of a tsquery, quoted so that no word can be read as an operator; the
    database stems it (and drops it if it is a stop word)."""
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'" + (":*" if prefix else "")


def prefix_term(word):
    """The word as the start of a word, when it is long enough to be one."""
    return term(word, prefix=len(word) >= PREFIX_MIN_LENGTH)
