from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "sigill.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from sigill.archive.signals import items_captured
        from sigill.moderation import policies, todos  # noqa: F401  (registers the policies and to-dos)
        from sigill.moderation.tasks import on_items_captured

        items_captured.connect(on_items_captured, dispatch_uid="moderation.screen_captured_items")
