"""Writing a post: drafts for the accounts one edits, kept in versions with their authors."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.publishing import services
from sigill.publishing.models import Draft
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.publishing.conftest import write


def save(draft: Draft, by: User, text: str, **fields: object) -> Draft:
    [target] = draft.targets.all()
    return services.save_draft(
        draft=draft,
        title=str(fields.get("title", draft.title)),
        link=str(fields.get("link", "")),
        scheduled_at=fields.get("scheduled_at"),  # type: ignore[arg-type]
        texts={target.account_id: services.TargetText(text)},
        by=by,
    )


def test_an_editor_writes_a_draft_for_the_account_they_edit(erik: User, library: Account) -> None:
    client = signed_in_client(erik)
    response = client.post(
        reverse("publishing:new"),
        {"title": "Helgöppet", "accounts": [library.pk], "text": "Vi har öppet i helgen."},
    )
    draft = Draft.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    assert [(target.account, target.text) for target in draft.targets.all()] == [
        (library, "Vi har öppet i helgen.")
    ]
    assert AuditEntry.objects.filter(act="publishing.draft.created", actor=erik).count() == 1


def test_an_editor_cannot_write_for_an_account_they_do_not_edit(
    erik: User, library: Account, streets: Account
) -> None:
    with pytest.raises(PermissionDenied):
        services.create_draft(title="Gator", accounts=[streets], text="Snöröjning", by=erik)
    assert not Draft.objects.exists()


def test_each_save_is_a_new_version_with_its_author_shown_in_the_history(
    erik: User, hanna: User, library: Account
) -> None:
    draft = write(library, erik)
    save(draft, hanna, "Vi har öppet i helgen, 10–14.")
    save(draft, hanna, "Vi har öppet i helgen, 10–14.")  # nothing changed: no new version
    assert list(draft.versions.order_by("number").values_list("number", "author__username")) == [
        (1, "erik"),
        (2, "hanna"),
    ]
    page = signed_in_client(erik).get(reverse("publishing:history", args=[draft.pk])).content.decode()
    assert "Vi har öppet i helgen, 10–14." in page and "Biblioteket har öppet som vanligt i helgen." in page


def test_the_draft_page_saves_a_new_version_without_javascript(erik: User, library: Account) -> None:
    draft = write(library, erik)
    response = signed_in_client(erik).post(
        draft.get_absolute_url(),
        {
            "title": "Helgöppet",
            "link": "https://vara.se/bibliotek",
            "scheduled_at": "",
            f"text_{library.pk}": "Ny text.",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.version, draft.link, draft.targets.get().text) == (
        2,
        "https://vara.se/bibliotek",
        "Ny text.",
    )


def test_the_checks_partial_counts_against_the_platforms_limit_as_the_editor_writes(
    erik: User, library: Account
) -> None:
    draft = write(library, erik)
    response = signed_in_client(erik).post(
        reverse("publishing:checks", args=[draft.pk]),
        {f"text_{library.pk}": "VIKTIGT: KOKA VATTNET NU #varabibliotek"},
    )
    page = response.content.decode()
    assert "39 av 500 tecken" in page
    assert "Text i versaler" in page and "Hashtagg med små bokstäver" in page
    draft.refresh_from_db()
    assert draft.version == 1  # the partial checks, it does not save


def test_someone_who_only_sees_the_account_cannot_change_the_draft(
    erik: User, bob: User, gustav: User, library: Account
) -> None:
    draft = write(library, erik)
    assert signed_in_client(bob).get(draft.get_absolute_url()).status_code == 200
    assert signed_in_client(bob).post(draft.get_absolute_url(), {"title": "x"}).status_code == 403
    assert signed_in_client(gustav).get(draft.get_absolute_url()).status_code == 404


def test_a_video_needs_a_caption_file_or_a_reason(erik: User, library: Account) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = write(library, erik)
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    client = signed_in_client(erik)
    url = reverse("publishing:add_media", args=[draft.pk])
    response = client.post(
        url, {"file": SimpleUploadedFile("film.mp4", mp4), "alt_text": "Nya läsesalen visas"}
    )
    assert response.status_code == 422
    assert "En video behöver en undertextfil" in response.content.decode()
    vtt = SimpleUploadedFile("film.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nHej\n")
    response = client.post(
        url, {"file": SimpleUploadedFile("film.mp4", mp4), "alt_text": "Nya läsesalen visas", "captions": vtt}
    )
    assert response.status_code == 302
    [media] = draft.media.all()
    assert (media.kind, media.captions_type) == ("video", "text/vtt")
    draft.refresh_from_db()
    assert draft.version == 2


def test_an_image_needs_its_alternative_text(erik: User, library: Account) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = write(library, erik)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = signed_in_client(erik).post(
        reverse("publishing:add_media", args=[draft.pk]),
        {"file": SimpleUploadedFile("bild.png", png), "alt_text": ""},
    )
    assert response.status_code == 422
    assert not draft.media.exists()
