"""Moderation: screening of captured content (``screening``, pure Python) and, later, the queue."""
