from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "sigill.organisation"
    label = "organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from sigill.core import audit_details, roles
        from sigill.organisation import audit_policy, policies, todos  # noqa: F401  (registers the policies and to-dos)
        from sigill.organisation.models import Role
        from sigill.organisation.selectors import RoleDirectory

        roles.register(RoleDirectory())
        audit_details.describe_values("role", dict(Role.choices))
