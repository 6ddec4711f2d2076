"""Mail to the contact center's address, read from a maildir into inquiries.

The mail server delivers to a maildir that ``read_inquiry_mail`` reads. Each message becomes one
inquiry (its Message-ID makes a second reading harmless); a message that is read is moved to the
maildir's ``cur`` folder with the Seen flag, so the next run skips it.
"""

from __future__ import annotations

import datetime as dt
import mailbox
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import cast

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from sigill.core.holdable import holdable
from sigill.inquiries import services
from sigill.inquiries.models import Inquiry


@dataclass(frozen=True)
class IntakeResult:
    created: int
    known: int
    refused: list[str]


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    return str(text).strip()


def _sent_at(message: EmailMessage) -> dt.datetime:
    try:
        sent = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        return timezone.now()
    if timezone.is_naive(sent):
        sent = timezone.make_aware(sent, dt.UTC)
    return min(sent, timezone.now())


def message_id_of(message: EmailMessage, *, key: str) -> str:
    """The Message-ID, or (for the rare message without one) its name in the maildir."""
    return holdable(str(message["Message-ID"] or "")).strip() or f"maildir:{key}"


def inquiry_from(message: EmailMessage, *, key: str) -> Inquiry:
    """One message as an inquiry: the subject and body are the question, the sender the contact."""
    # Mail is text from outside: a NUL (which PostgreSQL cannot store) is replaced like any capture's.
    subject = holdable(str(message["Subject"] or "")).strip()
    body = holdable(_body(message))
    question = f"{subject}\n\n{body}".strip() if subject and subject not in body else body or subject
    _name, address = parseaddr(str(message["From"] or ""))
    return services.create_inquiry(
        question=question,
        asked_where=f"E-post: {subject}" if subject else "E-post",
        asked_at=_sent_at(message),
        asker_contact=holdable(address),
        source=Inquiry.Source.EMAIL,
        external_id=message_id_of(message, key=key),
    )


def read_maildir(path: Path) -> IntakeResult:
    """Read every new message in the maildir at ``path``; return what came of them."""
    box = mailbox.Maildir(path, factory=None, create=False)
    created = known = 0
    refused: list[str] = []
    parser = BytesParser(policy=policy.default)
    for key in list(box.iterkeys()):
        entry = box.get_message(key)
        if "S" in entry.get_flags():
            continue
        message = cast(EmailMessage, parser.parsebytes(entry.as_bytes()))
        external_id = message_id_of(message, key=key)
        if Inquiry.objects.filter(source=Inquiry.Source.EMAIL, external_id=external_id).exists():
            known += 1
        else:
            try:
                inquiry_from(message, key=key)
            except ValidationError as error:
                refused.append(f"{key}: {' '.join(error.messages)}")
            except (LookupError, UnicodeError, ValueError) as error:
                # An unknown charset or a broken part: said, and the message left for a person.
                refused.append(f"{key}: the message cannot be read ({type(error).__name__}: {error})")
            else:
                created += 1
        entry.set_subdir("cur")
        entry.add_flag("S")
        box[key] = entry
    return IntakeResult(created=created, known=known, refused=refused)
