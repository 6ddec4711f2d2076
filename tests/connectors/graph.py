"""The Graph API of Vara kommun's Page as the fixture files show it, mounted on the mock router."""

from __future__ import annotations

from typing import Any

from tests.connectors.conftest import JPEG, PAGE_ID, payload

GRAPH = "https://graph.facebook.com/v21.0"
SNOW_POST = f"{PAGE_ID}_122146783920571834"
AKE_COMMENT = "122146783920571834_602918374650192"
FEED_AFTER = payload("facebook/graph-api/page_feed_p1.json")["paging"]["cursors"]["after"]
COMMENTS_AFTER = payload("facebook/graph-api/post_comments_p1.json")["paging"]["cursors"]["after"]


def mount_page(router: Any) -> dict[str, Any]:
    """Routes for a whole walk of the Page: feed (2 pages), the snow post's comments (2 pages), the
    replies to Åke's comment, no comments elsewhere, the images, and an empty Messenger inbox."""
    routes = {
        "feed_p2": router.get(f"{GRAPH}/{PAGE_ID}/feed", params={"after": FEED_AFTER}).respond(
            json=payload("facebook/graph-api/page_feed_p2.json")
        ),
        "feed_p1": router.get(f"{GRAPH}/{PAGE_ID}/feed").respond(
            json=payload("facebook/graph-api/page_feed_p1.json")
        ),
        "comments_p2": router.get(f"{GRAPH}/{SNOW_POST}/comments", params={"after": COMMENTS_AFTER}).respond(
            json=payload("facebook/graph-api/post_comments_p2.json")
        ),
        "comments_p1": router.get(f"{GRAPH}/{SNOW_POST}/comments").respond(
            json=payload("facebook/graph-api/post_comments_p1.json")
        ),
        "replies": router.get(f"{GRAPH}/{AKE_COMMENT}/comments").respond(
            json=payload("facebook/graph-api/comment_replies_p1.json")
        ),
        "no_comments": router.get(url__regex=rf"^{GRAPH}/[0-9_]+/comments").respond(json={"data": []}),
        "inbox": router.get(f"{GRAPH}/{PAGE_ID}/conversations").respond(json={"data": []}),
        "images": router.get(url__regex=r"^https://[a-z0-9.\-]+\.fbcdn\.net/").respond(
            content=JPEG, headers={"Content-Type": "image/jpeg"}
        ),
    }
    return routes
