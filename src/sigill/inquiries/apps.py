from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "sigill.inquiries"
    label = "inquiries"
    verbose_name = "Inquiries"

    def ready(self) -> None:
        from sigill.inquiries import jobs, policies, todos  # noqa: F401  (registers the policy, to-dos, job)
