"""What the archive tells others: ``items_captured`` is sent after a capture commits, with the ids
of the items that got a new version or were seen removed (moderation screens them)."""

from django.dispatch import Signal

items_captured = Signal()
