"""Logging filters. Kept apart from the settings so the settings stay declarative."""

import logging
import re

# The single-use sign-in link (pilots' /soknad/inn/<token>/): a token in a log line
# or error report would let anyone who reads the logs sign in as the applicant.
# The same for invitation links (/soknad/invitasjon/<token>/), which give access to an application.
SIGN_IN_LINK = re.compile(r"(/soknad/(?:inn|invitasjon)/)[^/\s\"'?#]+")


class RedactSignInLinks(logging.Filter):
    """Replace link tokens in the message and its arguments by «[skjult]»."""

    def filter(self, record):
        message = record.getMessage()
        redacted = SIGN_IN_LINK.sub(r"\1[skjult]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
