"""Accounts in the registry: read for whoever the account policy lets see them; register and
change for comms, through the registry's services (which check the policy and write the audit)."""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sigill.api import openapi, services
from sigill.api.auth import require_write, user_of
from sigill.api.fields import Slug, text
from sigill.api.schemas import AccountIn, AccountOut, AccountPage
from sigill.core.policies import policy_for
from sigill.organisation.models import Unit
from sigill.organisation.selectors import active_users
from sigill.registry import selectors
from sigill.registry import services as registry_services
from sigill.registry.models import Account, Platform, Purpose

router = Router(tags=["accounts"])


class AccountFilters(Schema):
    q: Annotated[str, text(200)] = Field("", description="Words in the name or handle.")
    status: Account.Status | None = None
    platform: Annotated[str, text(30)] = Field("", description="A platform's short name.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def account_out(account: Account) -> AccountOut:
    return AccountOut(
        slug=account.slug,
        display_name=account.display_name,
        platform=account.platform.slug,
        platform_name=account.platform.name,
        handle=account.handle,
        profile_url=account.profile_url,
        unit=account.unit.slug,
        unit_name=account.unit.name,
        status=Account.Status(account.status),
        purpose_statement=account.purpose_statement,
        purposes=[purpose.code for purpose in account.purposes.all()],
        target_audience=account.target_audience,
        responsible=account.responsible.get_username() if account.responsible else None,
        deputy=account.deputy.get_username() if account.deputy else None,
        activated_at=account.activated_at,
        next_review_on=account.next_review_on,
        updated_at=account.updated_at,
    )


@router.get("/accounts", response=AccountPage, url_name="accounts", openapi_extra=openapi.READ)
def list_accounts(request: HttpRequest, filters: Query[AccountFilters]) -> AccountPage:
    """The accounts the token's owner may see, by name."""
    user = user_of(request)
    policy_for(Account).require(user, "view")
    wanted: dict[str, Any] = {"q": filters.q.strip(), "status": filters.status}
    if filters.platform:
        wanted["platform"] = Platform.objects.filter(slug=filters.platform).first() or Platform(pk=0)
    accounts = (
        selectors.accounts_for(user, filters=wanted).select_related("deputy").prefetch_related("purposes")
    )
    page = accounts[filters.offset : filters.offset + filters.limit]
    return AccountPage(
        count=accounts.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[account_out(account) for account in page],
    )


@router.get("/accounts/{slug}", response=AccountOut, url_name="account", openapi_extra=openapi.READ_ONE)
def get_account(request: HttpRequest, slug: Slug) -> AccountOut:
    return account_out(selectors.account_for(user_of(request), slug=slug))


def _account_data(payload: AccountIn) -> registry_services.AccountData:
    """The registry's AccountData from the body; unknown names are field errors (422)."""
    errors: dict[str, str] = {}
    platform = Platform.objects.filter(slug=payload.platform).first()
    unit = Unit.objects.filter(slug=payload.unit).first()
    purposes = list(Purpose.objects.filter(code__in=payload.purposes))
    people = {
        user.get_username(): user
        for user in active_users().filter(username__in=[payload.responsible, payload.deputy])
    }
    if platform is None:
        errors["platform"] = _("There is no platform with that short name.")
    if unit is None:
        errors["unit"] = _("There is no unit with that short name.")
    if len(purposes) != len(set(payload.purposes)):
        errors["purposes"] = _("One or more purpose categories do not exist.")
    for field in ("responsible", "deputy"):
        if (username := getattr(payload, field)) and username not in people:
            errors[field] = _("There is no active person with that username.")
    if errors:
        raise ValidationError(errors)
    assert platform is not None and unit is not None  # noqa: S101  (checked above)
    return registry_services.AccountData(
        platform=platform,
        profile_url=payload.profile_url,
        display_name=payload.display_name,
        unit=unit,
        purpose_statement=payload.purpose_statement,
        purposes=purposes,
        target_audience=payload.target_audience,
        responsible=people.get(payload.responsible or ""),
        deputy=people.get(payload.deputy or ""),
    )


@router.post("/accounts", response={201: AccountOut}, url_name="accounts_create", openapi_extra=openapi.WRITE)
def create_account(request: HttpRequest, payload: AccountIn) -> Status[AccountOut]:
    """Register an account (planned), as comms does in the registry."""
    user = require_write(request)
    policy_for(Account).require(user, "create")
    data = _account_data(payload)
    with transaction.atomic():
        account = registry_services.create_account(data=data, by=user)
        services.record_write(request, operation="accounts.create", target=account)
    return Status(201, account_out(selectors.account_for(user, slug=account.slug)))


@router.put(
    "/accounts/{slug}", response=AccountOut, url_name="account_update", openapi_extra=openapi.WRITE_ONE
)
def update_account(request: HttpRequest, slug: Slug, payload: AccountIn) -> AccountOut:
    """Change what the registry says about an account (every field)."""
    user = require_write(request)
    account = selectors.account_for(user, slug=slug)
    policy_for(Account).require(user, "change", account)
    data = _account_data(payload)
    with transaction.atomic():
        account = registry_services.update_account(account=account, data=data, by=user)
        services.record_write(request, operation="accounts.update", target=account)
    return account_out(selectors.account_for(user, slug=account.slug))
