"""The public list of the municipality's accounts (G12): no token, the same data as
/public/accounts.json, from the registry's own selectors."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from sigill.api.schemas import PublicAccount, PublicList
from sigill.compliance.selectors import municipality_name
from sigill.registry import selectors

router = Router(tags=["public"])


@router.get("/public/accounts", response=PublicList, auth=None, url_name="public_accounts")
def public_accounts(request: HttpRequest) -> PublicList:
    """Every account live on its platform, as the public JSON feed publishes it. No token needed."""
    version = selectors.public_list_version()
    accounts = selectors.public_accounts()
    return PublicList(
        municipality=municipality_name(),
        last_changed=timezone.localtime(version.last_modified).isoformat(timespec="seconds")
        if version.last_modified
        else None,
        count=len(accounts),
        accounts=[PublicAccount(**selectors.public_record(account)) for account in accounts],
    )
