from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "sigill.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from sigill.archive import after_capture
        from sigill.moderation import policies, todos  # noqa: F401  (registers the policies and to-dos)
        from sigill.moderation.tasks import screen_captured

        # What the archive captures is screened: the capture calls this once it has committed.
        after_capture.register(screen_captured)
