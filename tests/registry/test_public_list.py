"""The public list: only live accounts, the same data in every format, cheap to ask again."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse

from sigill.organisation.models import User
from sigill.registry import services
from sigill.registry.models import Account
from tests.registry.fixtures import activate

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_library(alice: User, library_account: Account) -> Account:
    return activate(library_account, alice)


def test_a_planned_account_is_on_no_public_list(client: Client, library_account: Account) -> None:
    assert "varabibliotek" not in client.get(reverse("registry_public:list")).content.decode()
    assert client.get(reverse("registry_public:json")).json()["accounts"] == []
    assert "varabibliotek" not in client.get(reverse("registry_public:csv")).content.decode()


def test_an_active_account_is_on_the_page_in_the_json_the_csv_and_the_embed(
    client: Client, live_library: Account
) -> None:
    page = client.get(reverse("registry_public:list")).content.decode()
    assert "Vara bibliotek" in page and "https://www.instagram.com/varabibliotek/" in page
    feed = client.get(reverse("registry_public:json")).json()
    assert [account["url"] for account in feed["accounts"]] == ["https://www.instagram.com/varabibliotek/"]
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("registry_public:csv")).content.decode("utf-8-sig")))
    )
    assert rows[0]["handle"] == "varabibliotek"
    assert rows[0]["unit"] == "Vara bibliotek"
    assert (
        "https://www.instagram.com/varabibliotek/"
        in client.get(reverse("registry_public:embed")).content.decode()
    )


def test_each_account_on_the_public_page_links_its_rules_for_comments(
    client: Client, live_library: Account
) -> None:
    page = client.get(reverse("registry_public:list")).content.decode()
    policy = reverse("compliance_public:policy", kwargs={"slug": live_library.slug})
    assert f'href="{policy}"' in page
    assert client.get(policy).status_code == 200


def test_closing_an_account_removes_it_everywhere(client: Client, alice: User, live_library: Account) -> None:
    services.change_status(account=live_library, to=Account.Status.CLOSING, reason="Avvecklas.", by=alice)
    assert client.get(reverse("registry_public:json")).json()["count"] == 1  # closing is still live
    services.change_status(account=live_library, to=Account.Status.CLOSED, reason="Stängt.", by=alice)
    for name in ("list", "json", "csv", "embed"):
        assert "varabibliotek" not in client.get(reverse(f"registry_public:{name}")).content.decode(), name


def test_the_json_feed_validates_against_its_published_schema(client: Client, live_library: Account) -> None:
    schema = client.get(reverse("registry_public:schema")).json()
    feed = client.get(reverse("registry_public:json")).json()
    jsonschema.validate(feed, schema, format_checker=jsonschema.FormatChecker())
    assert feed["accounts"][0]["purpose_categories"] == ["dialogue", "news"]


def test_the_page_carries_schema_org_json_ld_with_the_profiles_as_same_as(
    client: Client, live_library: Account
) -> None:
    page = client.get(reverse("registry_public:list")).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.DOTALL)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentOrganization"
    assert data["sameAs"] == ["https://www.instagram.com/varabibliotek/"]


def test_a_name_cannot_break_out_of_the_json_ld_block(
    client: Client, alice: User, live_library: Account
) -> None:
    data = services.AccountData(
        platform=live_library.platform,
        profile_url=live_library.profile_url,
        display_name="</script><script>alert(1)</script>",
        unit=live_library.unit,
        purpose_statement=live_library.purpose_statement,
        responsible=live_library.responsible,
        deputy=live_library.deputy,
    )
    services.update_account(account=live_library, data=data, by=alice)
    page = client.get(reverse("registry_public:list")).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_client_with_the_current_list_gets_304(client: Client, live_library: Account) -> None:
    first = client.get(reverse("registry_public:json"))
    again = client.get(reverse("registry_public:json"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert first["Last-Modified"]
    assert "must-revalidate" in first["Cache-Control"]


def test_a_change_to_an_account_changes_the_etag_at_once(
    client: Client, alice: User, live_library: Account
) -> None:
    before = client.get(reverse("registry_public:json"))
    services.change_status(account=live_library, to=Account.Status.PAUSED, reason="Paus.", by=alice)
    after = client.get(reverse("registry_public:json"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["accounts"][0]["status"] == "paused"


def test_the_csv_defuses_spreadsheet_formulas(client: Client, alice: User, live_library: Account) -> None:
    data = services.AccountData(
        platform=live_library.platform,
        profile_url=live_library.profile_url,
        display_name='=HYPERLINK("http://evil.example")',
        unit=live_library.unit,
        purpose_statement=live_library.purpose_statement,
        responsible=live_library.responsible,
        deputy=live_library.deputy,
    )
    services.update_account(account=live_library, data=data, by=alice)
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("registry_public:csv")).content.decode("utf-8-sig")))
    )
    assert rows[0]["name"].startswith("'=")


def test_the_embed_may_be_framed_by_the_municipalitys_site_but_the_page_may_not(
    client: Client, live_library: Account
) -> None:
    embed = client.get(reverse("registry_public:embed"))
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert client.get(reverse("registry_public:list"))["X-Frame-Options"] == "DENY"


def test_the_public_list_needs_few_queries_however_many_accounts(
    client: Client, alice: User, live_library: Account, django_assert_max_num_queries
) -> None:
    for number in range(10):
        data = services.AccountData(
            platform=live_library.platform,
            profile_url=f"instagram.com/vara{number}",
            display_name=f"Vara {number}",
            unit=live_library.unit,
            purpose_statement="Test.",
            responsible=live_library.responsible,
            deputy=live_library.deputy,
        )
        services.create_account(data=data, by=alice, status=Account.Status.ACTIVE)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("registry_public:list")).status_code == 200


def test_the_accessibility_statement_says_how_to_report_a_problem(client: Client) -> None:
    page = client.get(reverse("core:accessibility")).content.decode()
    assert "Tillgänglighetsredogörelse" in page
    assert "kommunikation@vara-kommun.example" in page


def test_a_conditional_request_is_answered_from_one_query(
    client: Client, live_library: Account, django_assert_num_queries
) -> None:
    etag = client.get(reverse("registry_public:csv"))["ETag"]
    with django_assert_num_queries(1):
        response = client.get(reverse("registry_public:csv"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_the_csv_isolates_a_name_with_a_right_to_left_override(
    client: Client, alice: User, live_library: Account
) -> None:
    data = services.AccountData(
        platform=live_library.platform,
        profile_url=live_library.profile_url,
        display_name="Biblioteket \u202eabc",
        unit=live_library.unit,
        purpose_statement=live_library.purpose_statement,
        responsible=live_library.responsible,
        deputy=live_library.deputy,
    )
    services.update_account(account=live_library, data=data, by=alice)
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("registry_public:csv")).content.decode("utf-8-sig")))
    )
    assert rows[0]["name"] == "\u2068Biblioteket \u202eabc\u2069"
