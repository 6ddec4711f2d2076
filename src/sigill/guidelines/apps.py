from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "sigill.guidelines"
    label = "guidelines"
    verbose_name = "Guidelines"

    def ready(self) -> None:
        # Registers the policies, the to-dos, the scheduler's job and the registry's editor requirement.
        from sigill.guidelines import jobs, policies, requirements, todos  # noqa: F401
