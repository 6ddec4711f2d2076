"""Slowing down guessing at the sign-in: passwords and two-factor codes.

Failures are counted within ``SIGN_IN_WINDOW_MINUTES`` in three ways: by the username typed,
normalised (``Alice``, ``ALICE`` and `` alice `` are one name), by the client's network address
(one password tried across many usernames), and across all of Sigill (a spread-out attack). At a
limit, the sign-ins counted there wait: ``SIGN_IN_FIRST_WAIT_SECONDS`` at first, twice as long
after every further failure, never longer than the longest wait. The wait lifts by itself, or
earlier when comms lift it (``lift``). Every wait imposed and every lift is audited.

A wait that a stranger can trigger for someone else is slowing, not a lock: a browser that has
signed in as the person before carries a signed "known browser" cookie, and is counted only by
its own failures. A guesser elsewhere can make a username wait, but not keep its owner out.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sigill.core import audit, policies
from sigill.core.client_address import client_address
from sigill.core.models import SignInFailure, SignInLock, SignInScope

KNOWN_BROWSER_COOKIE = "sigill_known_browser"
_COOKIE_SALT = "sigill.core.sign_in_guard.known_browser"


def username_key(username: str) -> str:
    """The name as the throttles count it: compatibility-normalised, case-folded, without spaces.

    Usernames hold no spaces, so a name typed with spaces or in other capitals is the same name.
    """
    return "".join(unicodedata.normalize("NFKC", username).casefold().split())[:150]


@dataclass(frozen=True)
class Attempt:
    """One try at a sign-in step: which step, the name it is for, from where, from which browser."""

    stage: str
    username: str
    address: str
    # The known-browser cookie's id when the browser has signed in as this username before.
    browser: str = ""

    @property
    def key(self) -> str:
        return username_key(self.username)

    def counted_by(self) -> list[tuple[str, str]]:
        """Every (scope, key) this attempt's failure counts towards."""
        scopes = [(SignInScope.USERNAME.value, self.key), (SignInScope.EVERYONE.value, "")]
        if self.address:
            scopes.append((SignInScope.ADDRESS.value, self.address))
        if self.browser:
            scopes.append((SignInScope.DEVICE.value, self.browser))
        return scopes

    def held_by(self) -> list[tuple[str, str]]:
        """The (scope, key) pairs whose waits apply to this attempt: a known browser only its own."""
        if self.browser:
            return [(SignInScope.DEVICE.value, self.browser)]
        return [scope for scope in self.counted_by() if scope[0] != SignInScope.DEVICE]


def attempt(request: HttpRequest, *, stage: str, username: str) -> Attempt:
    return Attempt(
        stage=stage,
        username=username[:150],
        address=client_address(request),
        browser=known_browser(request, username=username),
    )


def _limit(scope: str) -> int:
    return {
        SignInScope.USERNAME: settings.SIGN_IN_FAILURES_PER_USERNAME,
        SignInScope.DEVICE: settings.SIGN_IN_FAILURES_PER_USERNAME,
        SignInScope.ADDRESS: settings.SIGN_IN_FAILURES_PER_ADDRESS,
        SignInScope.EVERYONE: settings.SIGN_IN_FAILURES_EVERYONE,
    }[SignInScope(scope)]


def _wait(scope: str, failures: int) -> dt.timedelta:
    """The back-off: the first wait at the limit, doubled for every failure beyond it."""
    longest = (
        settings.SIGN_IN_EVERYONE_LONGEST_WAIT_SECONDS
        if scope == SignInScope.EVERYONE
        else settings.SIGN_IN_LONGEST_WAIT_SECONDS
    )
    beyond = min(failures - _limit(scope), 30)  # 2**30 seconds is far past any longest wait
    return dt.timedelta(seconds=min(settings.SIGN_IN_FIRST_WAIT_SECONDS * 2**beyond, longest))


def _matching(scope: str, key: str) -> Q:
    return {
        SignInScope.USERNAME: Q(username_key=key),
        SignInScope.ADDRESS: Q(address=key),
        SignInScope.EVERYONE: Q(),
        SignInScope.DEVICE: Q(device=key),
    }[SignInScope(scope)]


def _locks(stage: str, pairs: list[tuple[str, str]]) -> QuerySet[SignInLock]:
    match = Q(pk__in=[])
    for scope, key in pairs:
        match |= Q(scope=scope, key=key)
    return SignInLock.objects.filter(match, stage=stage)


def active_lock(attempt: Attempt, *, now: dt.datetime | None = None) -> SignInLock | None:
    """The wait that holds this attempt back, the longest if several do; None when it may go ahead."""
    now = now or timezone.now()
    return (
        _locks(attempt.stage, attempt.held_by())
        .filter(lifted_at__isnull=True, until__gt=now)
        .order_by("-until")
        .first()
    )


def record_failure(
    attempt: Attempt, *, request: HttpRequest | None = None, now: dt.datetime | None = None
) -> list[SignInLock]:
    """Count a failed attempt; impose (and audit) the wait of every scope it brings to its limit."""
    now = now or timezone.now()
    window_start = now - dt.timedelta(minutes=settings.SIGN_IN_WINDOW_MINUTES)
    imposed = []
    with transaction.atomic():
        # Failures older than the window no longer count: they are not kept either.
        SignInFailure.objects.filter(at__lt=window_start).delete()
        SignInFailure.objects.create(
            at=now,
            stage=attempt.stage,
            username_key=attempt.key,
            address=attempt.address,
            device=attempt.browser,
        )
        for scope, key in attempt.counted_by():
            locks = _locks(attempt.stage, [(scope, key)])
            if locks.filter(lifted_at__isnull=True, until__gt=now).exists():
                continue  # already waiting: a known browser's failure does not stack another wait
            # Comms lifting a wait starts the count afresh.
            lifted = locks.aggregate(last=Max("lifted_at"))["last"]
            since = max(window_start, lifted) if lifted else window_start
            failures = SignInFailure.objects.filter(
                _matching(scope, key), stage=attempt.stage, at__gte=since
            ).count()
            if failures < _limit(scope):
                continue
            wait = _wait(scope, failures)
            lock = SignInLock.objects.create(
                stage=attempt.stage, scope=scope, key=key, failures=failures, locked_at=now, until=now + wait
            )
            audit.record(
                "core.auth.sign_in_throttled",
                actor_label=attempt.username,
                target=lock,
                details={
                    "step": attempt.stage,
                    "counted_by": scope,
                    "locked": key,
                    "failures": failures,
                    "wait_seconds": int(wait.total_seconds()),
                    "until": lock.until.isoformat(),
                },
                request=request,
            )
            imposed.append(lock)
    return imposed


def record_success(attempt: Attempt) -> None:
    """The person got it right: their name's failures no longer count towards its wait.

    The address's and everyone's counts keep them, so a guesser who signs in to an account of
    their own between guesses gains nothing.
    """
    SignInFailure.objects.filter(stage=attempt.stage, username_key=attempt.key).update(username_key="")


def lift(*, lock: SignInLock, by: Any, request: HttpRequest | None = None) -> SignInLock:
    """Comms lift a wait before its time; the count it came from starts afresh."""
    policies.require(by, "lift", lock)
    with transaction.atomic():
        lock = SignInLock.objects.select_for_update().get(pk=lock.pk)
        if not lock.is_active():
            return lock
        lock.lifted_at = timezone.now()
        lock.lifted_by = by
        lock.save(update_fields=["lifted_at", "lifted_by"])
        audit.record(
            "core.auth.sign_in_lock_lifted",
            actor=by,
            target=lock,
            details={"step": lock.stage, "counted_by": lock.scope, "locked": lock.key},
            request=request,
        )
    return lock


def locks_for(user: Any) -> QuerySet[SignInLock]:
    """The waits comms may see: every one, newest first."""
    return policies.policy_for(SignInLock).queryset(user, "view")


def known_browser(request: HttpRequest, *, username: str) -> str:
    """The known-browser id of this request, if its cookie says it signed in as ``username``."""
    raw = request.COOKIES.get(KNOWN_BROWSER_COOKIE, "")
    if not raw:
        return ""
    try:
        value = signing.loads(
            raw, salt=_COOKIE_SALT, max_age=dt.timedelta(days=settings.SIGN_IN_KNOWN_BROWSER_DAYS)
        )
    except signing.BadSignature:
        return ""
    if not isinstance(value, dict) or value.get("u") != username_key(username):
        return ""
    return str(value.get("b", ""))[:32]


def remember_browser(response: HttpResponse, *, request: HttpRequest, username: str) -> None:
    """After a complete sign-in: mark this browser as one that ``username`` uses."""
    browser = known_browser(request, username=username) or secrets.token_hex(16)
    value = signing.dumps({"u": username_key(username), "b": browser}, salt=_COOKIE_SALT)
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        value,
        max_age=settings.SIGN_IN_KNOWN_BROWSER_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
