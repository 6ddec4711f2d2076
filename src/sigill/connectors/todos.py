"""What the capture state asks of comms and editors on the start page."""

from __future__ import annotations
