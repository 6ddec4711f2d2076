"""Connecting an account with its platform's own log-in, keeping the log-in alive, and losing it.

The flow is OAuth 2.0's authorisation code (with PKCE where the platform takes it):

1. :func:`begin` (comms, on the account's page) makes a state and a PKCE verifier, keeps them in
   the person's session under the state, and returns the platform's log-in address. The redirect
   address is fixed: ``SIGILL_BASE_URL`` and the platform's callback path, nothing from the request.
2. :func:`complete` (the platform sends the browser back) takes the state out of the session at
   once (single use; a state of another session, another person, another platform or older than
   ``FLOW_MINUTES`` is refused and audited), exchanges the code, finds the platform account among
   those the person administers, seals the tokens in the vault and connects the account.
3. :func:`refresh_grant` (the scheduler, before expiry) renews the tokens; a refusal loses the
   log-in (:func:`lose_grant`): the account needs reconnecting and comms is told, in Swedish.

Token plaintext lives only in local variables here and in the vault's sealed fields: it is never
put in the session, an audit entry, a log line, a message or an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from sigill.connectors import selectors as connectors_selectors
from sigill.connectors import services as connectors
from sigill.core import audit
from sigill.oauth.models import Grant, InstanceApp
from sigill.oauth.policies import grant_policy
from sigill.oauth.providers import (
    GrantLost,
    LoginFailed,
    Provider,
    Reached,
    challenge_of,
    client,
    new_state,
    new_verifier,
    provider_for,
)
from sigill.oauth.providers.bluesky import Bluesky
from sigill.oauth.providers.mastodon import Mastodon, instance_of
from sigill.organisation.people import User
from sigill.registry.selectors import Account
from sigill.vault import services as vault

audit.describe_acts(
    {
        "oauth.login.started": gettext_lazy("Platform log-in started"),
        "oauth.login.refused": gettext_lazy("Platform log-in refused"),
        "oauth.grant.connected": gettext_lazy("Account connected with the platform's log-in"),
        "oauth.grant.refreshed": gettext_lazy("Platform log-in refreshed"),
        "oauth.grant.refresh_failed": gettext_lazy("Platform log-in could not be refreshed"),
        "oauth.grant.lost": gettext_lazy("Platform log-in lost"),
    }
)


def login_set_up(platform_slug: str) -> bool:
    """Whether comms can log in with the platform (its app's id and secret are set, or it needs
    none): then an account that needs reconnecting is reconnected by logging in again."""
    provider = provider_for(platform_slug)
    return provider is not None and provider.configured()


connectors.offer_platform_login(login_set_up)

SESSION_KEY = "sigill_oauth_flows"
# A log-in not completed within this many minutes is refused: start again.
FLOW_MINUTES = 10
# How long before an access token expires the scheduler refreshes it: a quarter of its lifetime,
# at most a week (a 60-day token is refreshed with a week to spare, a 2-hour one after 90 minutes).
MAX_LEAD = dt.timedelta(days=7)
# How often a token that does not expire (a Facebook Page's, a Mastodon account's) is checked.
CHECK_EVERY = dt.timedelta(days=1)
# A refresh that a worker has claimed and not finished within this time may be tried again.
CLAIM = dt.timedelta(minutes=10)


class StateRefused(LoginFailed):
    """The answer from the platform does not belong to a log-in this person started here."""


def redirect_uri(platform: str) -> str:
    """The one address the platform may send the browser back to (registered in its portal)."""
    return settings.SIGILL_BASE_URL.rstrip("/") + reverse("oauth:callback", kwargs={"platform": platform})


def provider_of(account: Account) -> Provider:
    """The log-in of ``account``'s platform; ValidationError when there is none or it is not set up."""
    provider = provider_for(account.platform.slug)
    if provider is None:
        raise ValidationError(
            _(
                "%(platform)s has no log-in Sigill can use: connect the account with an API token in the vault."
            )
            % {"platform": account.platform.name}
        )
    if not provider.configured():
        raise ValidationError(
            _("The %(platform)s app is not set up: %(settings)s must be set (see the platform log-in page).")
            % {
                "platform": provider.label,
                "settings": " / ".join(filter(None, (provider.id_setting, provider.secret_setting))),
            }
        )
    return provider


def begin(*, account: Account, by: User, session: Any, context: Mapping[str, Any] | None = None) -> str:
    """Start ``by``'s log-in for ``account``; returns the platform's log-in address."""
    grant_policy.require(by, "connect")
    provider = provider_of(account)
    if provider.kind == "app_password":
        raise ValidationError(_("Give the account's app password on its log-in page instead."))
    context = dict(context or {})
    if isinstance(provider, Mastodon):
        context["instance"] = instance_of(account)
        context["client_id"] = _instance_app(provider, context["instance"])[0]
    state, verifier = new_state(), new_verifier()
    flows = _live_flows(session)
    flows[state] = {
        "account": account.pk,
        "platform": provider.slug,
        "by": by.pk,
        "verifier": verifier if provider.pkce else "",
        "started": timezone.now().isoformat(),
        "context": context,
    }
    session[SESSION_KEY] = flows
    with transaction.atomic():
        audit.record("oauth.login.started", actor=by, target=account, details={"platform": provider.slug})
    return provider.authorize_url(
        redirect_uri=redirect_uri(provider.slug),
        state=state,
        challenge=challenge_of(verifier) if provider.pkce else "",
        context=context,
    )


@sensitive_variables()
def _instance_app(provider: Mastodon, instance: str) -> tuple[str, str]:
    """Sigill's client id and secret on a Mastodon server, registered there the first time."""
    purpose = f"mastodon-app:{instance}"
    kept = InstanceApp.objects.filter(instance=instance, redirect_uri=redirect_uri(provider.slug)).first()
    if kept is not None:
        return kept.client_id, vault.open_app_secret(purpose=purpose, kept=kept.client_secret_sealed)
    with client() as http:
        client_id, client_secret = provider.register(
            http,
            instance=instance,
            redirect_uri=redirect_uri(provider.slug),
            website=settings.SIGILL_BASE_URL,
        )
    InstanceApp.objects.update_or_create(
        instance=instance,
        defaults={
            "client_id": client_id,
            "client_secret_sealed": vault.seal_app_secret(purpose=purpose, value=client_secret),
            "redirect_uri": redirect_uri(provider.slug),
        },
    )
    return client_id, client_secret


def _live_flows(session: Any) -> dict[str, dict[str, Any]]:
    flows: dict[str, dict[str, Any]] = dict(session.get(SESSION_KEY) or {})
    oldest = timezone.now() - dt.timedelta(minutes=FLOW_MINUTES)
    return {
        state: flow for state, flow in flows.items() if dt.datetime.fromisoformat(flow["started"]) > oldest
    }


def take_flow(*, session: Any, state: str, platform: str, by: User) -> dict[str, Any]:
    """The log-in ``state`` names, taken out of the session (it can be used once only)."""
    flows: dict[str, dict[str, Any]] = dict(session.get(SESSION_KEY) or {})
    flow = flows.pop(state, None) if state else None
    session[SESSION_KEY] = flows
    fresh = flow is not None and dt.datetime.fromisoformat(flow["started"]) > timezone.now() - dt.timedelta(
        minutes=FLOW_MINUTES
    )
    if flow is None or not fresh or flow["platform"] != platform or flow["by"] != getattr(by, "pk", None):
        why = "unknown" if flow is None else ("expired" if not fresh else "mismatch")
        with transaction.atomic():
            audit.record("oauth.login.refused", actor=by, details={"platform": platform, "why": why})
        raise StateRefused(
            _(
                "This answer from %(platform)s does not belong to a log-in you started here, or it came too "
                "late. Start the log-in again from the account's page."
            )
            % {"platform": platform}
        )
    return flow


@sensitive_variables()
def complete(*, platform: str, by: User, session: Any, params: Mapping[str, str]) -> Grant:
    """Finish the log-in the platform sent the browser back from (``params``: its query)."""
    grant_policy.require(by, "connect")
    flow = take_flow(session=session, state=params.get("state", ""), platform=platform, by=by)
    account = Account.objects.select_related("platform").get(pk=flow["account"])
    provider = provider_of(account)
    if params.get("error") or not params.get("code"):
        _refused(by, account, provider.slug, params.get("error", "no code"))
        raise LoginFailed(
            _(
                "%(platform)s did not give Sigill access (%(error)s). Start again, and allow the access asked for."
            )
            % {"platform": provider.label, "error": params.get("error", "")[:80] or _("no code")}
        )
    connection = connectors_selectors.connection_of(account)
    context = dict(flow["context"])
    try:
        if isinstance(provider, Mastodon):
            context["client_id"], context["client_secret"] = _instance_app(provider, context["instance"])
        with client() as http:
            tokens = provider.exchange(
                http,
                code=params["code"],
                verifier=flow["verifier"],
                redirect_uri=redirect_uri(provider.slug),
                context=context,
            )
            reached = provider.reach(
                http, tokens=tokens, account=account, known_id=connection.remote_id if connection else ""
            )
    except LoginFailed as failure:
        _refused(by, account, provider.slug, failure.message)
        raise
    return keep(account=account, provider=provider, reached=reached, by=by)


@sensitive_variables()
def connect_with_app_password(*, account: Account, by: User, app_password: str) -> Grant:
    """Log ``account`` in with an app password comms created on the platform (Bluesky). The
    password is used once, to open a session, and never kept."""
    grant_policy.require(by, "connect")
    provider = provider_of(account)
    if not isinstance(provider, Bluesky):
        raise ValidationError(
            _("%(platform)s does not log in with an app password.") % {"platform": provider.label}
        )
    connection = connectors_selectors.connection_of(account)
    try:
        with client() as http:
            reached = provider.log_in(
                http,
                account=account,
                app_password=app_password,
                known_id=connection.remote_id if connection else "",
            )
    except LoginFailed as failure:
        _refused(by, account, provider.slug, failure.message)
        raise
    return keep(account=account, provider=provider, reached=reached, by=by)


def _refused(by: User, account: Account, platform: str, why: str) -> None:
    with transaction.atomic():
        audit.record(
            "oauth.login.refused", actor=by, target=account, details={"platform": platform, "why": why[:300]}
        )


@sensitive_variables()
def keep(*, account: Account, provider: Provider, reached: Reached, by: User) -> Grant:
    """Seal what the log-in gave, connect the account to its platform, and remember the grant."""
    if not grant_policy.can(by, "connect"):
        raise PermissionDenied
    now = timezone.now()
    tokens = reached.tokens
    with transaction.atomic():
        vault.seal_platform_grant(
            account=account,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            by=by,
            platform=provider.slug,
        )
        _connect(account, reached, by)
        expires_at = tokens.expires_at(now)
        grant, _created = Grant.objects.update_or_create(
            account=account,
            defaults={
                "platform": provider.slug,
                "remote_id": reached.remote_id,
                "remote_name": reached.name[:200],
                "api_base": reached.api_base,
                "scopes": tokens.scopes,
                "state": Grant.State.ACTIVE,
                "expires_at": expires_at,
                "refresh_expires_at": tokens.refresh_expires_at(now),
                "next_check_at": next_check(now, expires_at),
                "connected_at": now,
                "connected_by": by,
                "last_refreshed_at": None,
                "failures": 0,
                "lost_at": None,
                "lost_reason": "",
            },
        )
        audit.record(
            "oauth.grant.connected",
            actor=by,
            target=account,
            details={
                "platform": provider.slug,
                "remote_id": reached.remote_id,
                "scopes": tokens.scopes,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return grant


def _connect(account: Account, reached: Reached, by: User) -> None:
    """Point the account's API connection at what the log-in reached, and sync again at once."""
    if not connectors_selectors.has_connector(account.platform.slug):
        return  # the token is kept; capture by API comes with the platform's connector
    existing = connectors_selectors.connection_of(account)
    connection = connectors.connect(
        account=account,
        remote_id=reached.remote_id,
        api_base=reached.api_base,
        interval_minutes=existing.interval_minutes if existing else 15,
        by=by,
    )
    connectors.reconnect(connection=connection, by=by)


def next_check(now: dt.datetime, expires_at: dt.datetime | None) -> dt.datetime:
    if expires_at is None:
        return now + CHECK_EVERY
    lead = min((expires_at - now) / 4, MAX_LEAD)
    return max(expires_at - lead, now + dt.timedelta(minutes=1))


@sensitive_variables()
def refresh_grant(*, grant: Grant) -> Grant:
    """Renew (or, for tokens that do not expire, check) ``grant`` with its platform. The system
    does it; a refusal loses the grant, an outage tries again later."""
    account = grant.account
    provider = provider_for(grant.platform)
    if provider is None:
        return grant
    now = timezone.now()
    try:
        refresh_token = (
            vault.open_refresh_token(account=account, purpose=f"refresh {grant.platform}")
            if provider.renewal == "refresh"
            else ""
        )
        access_token = vault.open_api_token(
            account=account,
            purpose=f"refresh {grant.platform}",
            sync_run_id=f"oauth-{grant.pk}-{now:%Y%m%d%H%M%S}",
        )
        with client() as http:
            tokens = provider.refresh(
                http,
                access_token=access_token,
                refresh_token=refresh_token,
                api_base=grant.api_base,
                remote_id=grant.remote_id,
            )
    except GrantLost as lost:
        return lose_grant(grant=grant, reason=lost.message)
    except LookupError:
        return lose_grant(
            grant=grant,
            reason=_("Sigill holds no token for the log-in any more. Someone in comms must log in again."),
        )
    except LoginFailed as failure:
        return _refresh_failed(grant, failure.message, now)
    with transaction.atomic():
        if tokens.access_token != access_token or tokens.refresh_token:
            vault.seal_platform_grant(
                account=account,
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token or refresh_token,
                by=None,
                platform=grant.platform,
            )
        expires_at = tokens.expires_at(now)
        grant.expires_at = expires_at
        grant.refresh_expires_at = tokens.refresh_expires_at(now) or grant.refresh_expires_at
        grant.next_check_at = next_check(now, expires_at)
        grant.last_refreshed_at, grant.failures = now, 0
        grant.save(
            update_fields=[
                "expires_at",
                "refresh_expires_at",
                "next_check_at",
                "last_refreshed_at",
                "failures",
            ]
        )
        audit.record(
            "oauth.grant.refreshed",
            actor_label="system",
            target=account,
            details={
                "platform": grant.platform,
                "renewal": provider.renewal,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return grant


def _refresh_failed(grant: Grant, message: str, now: dt.datetime) -> Grant:
    """An outage: try again after a while that doubles with each failure (at most six hours)."""
    wait = min(dt.timedelta(minutes=5) * 2**grant.failures, dt.timedelta(hours=6))
    with transaction.atomic():
        grant.failures += 1
        grant.next_check_at = now + wait
        grant.save(update_fields=["failures", "next_check_at"])
        audit.record(
            "oauth.grant.refresh_failed",
            actor_label="system",
            target=grant.account,
            details={"platform": grant.platform, "error": message[:300], "failures": grant.failures},
        )
    return grant


def lose_grant(*, grant: Grant, reason: str) -> Grant:
    """The platform no longer honours the log-in: stop refreshing, mark the account as needing
    reconnection (comms is told by e-mail and on the start page), with ``reason`` in Swedish."""
    with transaction.atomic():
        grant.state, grant.lost_at, grant.lost_reason = Grant.State.LOST, timezone.now(), reason
        grant.next_check_at = None
        grant.save(update_fields=["state", "lost_at", "lost_reason", "next_check_at"])
        connectors.token_lost(account=grant.account, message=reason)
        audit.record(
            "oauth.grant.lost",
            actor_label="system",
            target=grant.account,
            details={"platform": grant.platform, "reason": reason[:500]},
        )
    return grant


def refresh_due(*, now: dt.datetime | None = None) -> int:
    """Refresh every active grant that is due; the scheduler's task calls this. Returns how many."""
    now = now or timezone.now()
    due = list(
        Grant.objects.filter(state=Grant.State.ACTIVE, next_check_at__lte=now)
        .select_related("account__platform")
        .order_by("next_check_at")
    )
    done = 0
    for grant in due:
        # Claimed first: a second worker on the same grant would spend a refresh token that X and
        # others rotate, and the platform would take the second use for a stolen token.
        claimed = Grant.objects.filter(pk=grant.pk, next_check_at=grant.next_check_at).update(
            next_check_at=now + CLAIM
        )
        if claimed:
            refresh_grant(grant=grant)
            done += 1
    return done
