"""Each platform's actor for the moderation queue, registered with moderation's contract.

A platform module that can act declares ``ACTS`` (act → a function making the request) and
``raise_for_error`` (its error mapping); :class:`ApiActor` opens the account's token from the vault
(one audited opening per act), makes the request, and turns the platform's refusal into
:class:`~sigill.moderation.platform_acts.ActFailed` with a message for the moderator. A revoked
token also marks the account "needs reconnecting", as a sync would.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import ModuleType

import httpx2
from django.utils.translation import gettext as _

from sigill.connectors import http, runs
from sigill.connectors.base import connector_for
from sigill.connectors.models import Connection
from sigill.moderation import platform_acts
from sigill.moderation.platform_acts import ActFailed, Target
from sigill.vault import services as vault
from sigill.vault.crypto import SealBrokenError
from sigill.vault.keys import VaultKeyError

Act = Callable[[httpx2.Client, Connection, Target], httpx2.Response]


class ApiActor:
    """Carries out hide, unhide, delete and block through one platform's API."""

    def __init__(self, module: ModuleType) -> None:
        self.slug: str = module.__name__.rsplit(".", 1)[-1]
        self.acts: dict[str, Act] = module.ACTS
        self.raise_for_error: Callable[[httpx2.Response], None] = module.raise_for_error

    def can(self, act: str) -> bool:
        return act in self.acts

    def perform(self, act: str, target: Target) -> None:
        connector = connector_for(self.slug)
        if act not in self.acts or connector is None:
            raise ActFailed(
                _("The platform's API does not allow this act: carry it out on the platform by hand.")
            )
        connection = (
            Connection.objects.select_related("account__platform")
            .filter(account_id=target.account_id)
            .first()
        )
        if connection is None:
            raise ActFailed(
                _("The account is not connected to its platform's API: carry the act out by hand.")
            )
        if connection.status == Connection.Status.NEEDS_RECONNECT:
            raise ActFailed(_("The account needs reconnecting before Sigill can act on the platform."))
        token = self._token(connection, act)
        try:
            with http.client(headers=connector.headers(token)) as client:
                del token
                self.raise_for_error(self.acts[act](client, connection, target))
        except http.TokenRejected as exc:
            runs.needs_reconnecting(connection=connection, run=None, message=exc.message)
            raise ActFailed(
                _("The platform no longer accepts the account's token: reconnect the account.")
            ) from exc
        except http.Gone as exc:
            raise ActFailed(
                _("The item is no longer on the platform (removed or never visible to the account).")
            ) from exc
        except http.Refused as exc:
            raise ActFailed(
                _(
                    "The platform refused the act: the account lacks the permission, or the item cannot be acted on (%(detail)s)."
                )
                % {"detail": exc.message}
            ) from exc
        except http.RateLimited as exc:
            raise ActFailed(
                _("The platform's rate limit is reached: try again later."), retryable=True
            ) from exc
        except (http.Unavailable, httpx2.TransportError) as exc:
            raise ActFailed(_("The platform could not be reached: try again later."), retryable=True) from exc

    def _token(self, connection: Connection, act: str) -> str:
        try:
            return vault.open_api_token(
                account=connection.account, purpose=f"{act} on {self.slug}", sync_run_id=f"act-{uuid.uuid4()}"
            )
        except LookupError as exc:
            raise ActFailed(
                _("No API token for the account is in the vault: carry the act out by hand.")
            ) from exc
        except (VaultKeyError, SealBrokenError) as exc:
            raise ActFailed(_("The vault could not open the account's API token.")) from exc


def register_actors(platform_modules: list[ModuleType]) -> None:
    """Called once when the app loads, with the platform modules found (``platforms.discover``)."""
    for module in platform_modules:
        if hasattr(module, "ACTS"):
            actor = ApiActor(module)
            platform_acts.register(actor.slug, actor)
