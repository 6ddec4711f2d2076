"""Publishing on the platforms: the outbox (``outbox``) and one publisher per platform, named by
the platform's slug (``base`` says what a publisher provides)."""
