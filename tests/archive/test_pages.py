"""The archive's pages: search, item with thread and versions, marking secret, manual capture."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sigill.archive import services
from sigill.archive.capture import Kind, Source
from sigill.archive.models import Attachment, Item, ItemFact
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment, picture, post
from tests.conftest import signed_in_client

HOSTILE = [
    '<script>alert("xss")</script>Hej',
    '<img src=x onerror="alert(1)">',
    "Biblioteket \u202egnälk\u202c är bäst",  # right-to-left override
    "Ta\u200bck\u200d för\ufeff svaret",  # zero-width characters
    "{{ 7|add:7 }} {% now 'Y' %} &lt;b&gt;",
    '"><svg/onload=alert(2)>',
]


def test_hostile_comments_render_inert_on_the_search_and_item_pages(library: Account, dana: User) -> None:
    services.capture([post(library, "post-1", "Välkommen till biblioteket")])
    services.capture(
        [
            comment(library, f"c-{i}", text, author=comment(library, "x", "x").author)
            for i, text in enumerate(HOSTILE)
        ]
    )
    client = signed_in_client(dana)
    pages = [
        client.get(reverse("archive:search")),
        client.get(reverse("archive:search"), {"q": "biblioteket"}),
        client.get(reverse("archive:item", kwargs={"pk": Item.objects.get(object_id="post-1").pk})),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<svg/onload" not in html
        assert "14" not in html.split("{{ 7|add:7 }}")[0][-5:]  # never evaluated as a template
    html = pages[2].content.decode()  # the item page shows the whole thread, hostile replies included
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;Hej" in html
    assert "{{ 7|add:7 }}" in html
    assert "&amp;lt;b&amp;gt;" in html
    # The RTL override stays inside an isolated element, so it cannot turn the page's own text around.
    assert '<bdi class="platform-text">Biblioteket \u202egnälk\u202c är bäst</bdi>' in html


def test_the_item_page_shows_versions_with_what_changed_and_the_chain(library: Account, erik: User) -> None:
    services.capture([post(library, "p", "Öppet till 18 i dag.", attachments=(picture(),))])
    services.capture(
        [post(library, "p", "Öppet till 19 i dag.", edited_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC))]
    )
    services.capture([comment(library, "c", "Tack!", parent_platform_id="p")])
    item = Item.objects.get(object_id="p")
    response = signed_in_client(erik).get(item.get_absolute_url())
    html = response.content.decode()
    assert "<del>18</del>" in html and "<ins>19</ins>" in html
    assert "2 versioner" in html
    assert item.event.hash in html
    assert "Tack!" in html  # the reply, in the thread
    assert reverse("archive:attachment", kwargs={"pk": Attachment.objects.get().pk}) in html


def test_an_attachment_downloads_as_a_file_never_inline(library: Account, erik: User) -> None:
    services.capture([post(library, "p", "Bild", attachments=(picture("x.html"),))])
    response = signed_in_client(erik).get(
        reverse("archive:attachment", kwargs={"pk": Attachment.objects.get().pk})
    )
    assert response.content == b"\x89PNG fake image"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_marking_secret_is_audited_and_hides_the_item_from_the_unit_manager(
    library: Account, dana: User, bob: User
) -> None:
    services.capture([comment(library, "c-1", "Mitt personnummer är 19800101-1234 och jag har en diagnos")])
    item = Item.objects.get()
    assert signed_in_client(bob).get(item.get_absolute_url()).status_code == 200
    response = signed_in_client(dana).post(
        reverse("archive:mark_secret", kwargs={"pk": item.pk}), {"provision": "OSL 25 kap. 1 §"}
    )
    assert response.status_code == 302
    fact = ItemFact.objects.get(fact=ItemFact.Fact.MARKED_SECRET)
    assert (fact.provision, fact.actor_label) == ("OSL 25 kap. 1 §", "dana")
    assert AuditEntry.objects.filter(act="archive.item.marked_secret", actor=dana).exists()
    assert signed_in_client(bob).get(item.get_absolute_url()).status_code == 404
    assert "personnummer" not in signed_in_client(bob).get(reverse("archive:search")).content.decode()
    assert signed_in_client(dana).get(item.get_absolute_url()).status_code == 200


def test_an_editor_sees_only_their_accounts(library: Account, streets: Account, erik: User) -> None:
    services.capture([comment(library, "lib", "Om biblioteket"), comment(streets, "street", "Om gatan")])
    html = signed_in_client(erik).get(reverse("archive:search")).content.decode()
    assert "Om biblioteket" in html and "Om gatan" not in html
    street = Item.objects.get(object_id="street")
    assert signed_in_client(erik).get(street.get_absolute_url()).status_code == 404


def test_a_search_with_a_wrong_period_says_what_is_wrong(dana: User) -> None:
    response = signed_in_client(dana).get(
        reverse("archive:search"), {"since": "2025-03-02", "until": "2025-03-01"}
    )
    assert response.status_code == 422
    assert "Slutdatumet kommer före startdatumet" in response.content.decode()


def test_an_editor_captures_a_snapchat_post_by_hand_in_swedish_time(library: Account, erik: User) -> None:
    response = signed_in_client(erik).post(
        reverse("archive:manual_capture"),
        {
            "account": library.pk,
            "kind": Kind.POST,
            "direction": "drawn_up",
            # The last Sunday of March 2025: clocks went from 02:00 to 03:00 in Stockholm.
            "published_at": "2025-03-30T03:30",
            "text": "Skärmbild av vår story om sommarläsningen",
            "author": "Vara bibliotek",
            "uploads": [
                SimpleUploadedFile("story1.png", PNG + b"1", "image/png"),
                SimpleUploadedFile("story2.png", PNG + b"2", "image/png"),
            ],
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.source == Source.MANUAL
    assert item.published_at == dt.datetime(2025, 3, 30, 1, 30, tzinfo=dt.UTC)  # 03:30 CEST
    assert Attachment.objects.count() == 2
    assert AuditEntry.objects.filter(act="archive.manual_capture", actor=erik).exists()
    assert "2025-03-30 03:30" in signed_in_client(erik).get(item.get_absolute_url()).content.decode()


PNG = b"\x89PNG\r\n\x1a\n"


def manual_capture_with(client: Client, library: Account, upload: SimpleUploadedFile) -> Any:
    return client.post(
        reverse("archive:manual_capture"),
        {
            "account": library.pk,
            "kind": Kind.POST,
            "direction": "drawn_up",
            "published_at": "2025-03-30T12:00",
            "text": "Skärmbild av vår story",
            "uploads": [upload],
        },
    )


def test_a_program_named_like_a_picture_is_refused_and_nothing_is_captured(
    library: Account, erik: User
) -> None:
    upload = SimpleUploadedFile("story.png", b"MZ\x90\x00\x03\x00\x00\x00", "image/png")
    response = manual_capture_with(signed_in_client(erik), library, upload)
    assert response.status_code == 422
    assert "story.png är inte en fil som arkivet bevarar" in response.content.decode()
    assert not Item.objects.exists()


def test_a_file_is_kept_as_what_its_content_is_not_what_its_name_says(library: Account, erik: User) -> None:
    upload = SimpleUploadedFile("anteckning.txt", PNG + b"bild", "text/plain")
    assert manual_capture_with(signed_in_client(erik), library, upload).status_code == 302
    assert Attachment.objects.get().content_type == "image/png"


def test_times_show_in_stockholm_on_both_sides_of_daylight_saving(library: Account, dana: User) -> None:
    services.capture(
        [
            comment(library, "winter", "Före", published_at=dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)),
            comment(library, "summer", "Efter", published_at=dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)),
        ]
    )
    client = signed_in_client(dana)
    winter = client.get(Item.objects.get(object_id="winter").get_absolute_url()).content.decode()
    summer = client.get(Item.objects.get(object_id="summer").get_absolute_url()).content.decode()
    assert "2025-10-26 02:30:00 +0200" in winter  # the first 02:30 of the night, still summer time
    assert "2025-10-26 02:30:00 +0100" in summer  # an hour later: the second 02:30, winter time


def test_a_manual_capture_needs_an_account_the_editor_edits(
    library: Account, streets: Account, erik: User
) -> None:
    response = signed_in_client(erik).post(
        reverse("archive:manual_capture"),
        {
            "account": streets.pk,
            "kind": "post",
            "direction": "drawn_up",
            "published_at": "2025-03-01T10:00",
            "text": "x",
        },
    )
    assert response.status_code == 422
    assert Item.objects.count() == 0


def test_a_file_past_the_size_setting_is_refused_naming_it(
    library: Account, erik: User, settings: Any
) -> None:
    settings.MANUAL_CAPTURE_MAX_BYTES = 10
    upload = SimpleUploadedFile("story.png", PNG + b"a large picture", "image/png")
    response = manual_capture_with(signed_in_client(erik), library, upload)
    assert response.status_code == 422
    assert "story.png är större än 10\xa0byte (MANUAL_CAPTURE_MAX_BYTES)." in response.content.decode()
    assert not Item.objects.exists()
