"""Permission policies: one per model, answering both questions about access.

* ``policy.can(user, action, obj)``: may this user do ``action`` to this object?
* ``policy.queryset(user, action)``: which objects may this user do ``action`` to?

Views, selectors, templates (``{% can %}``) and the API all ask the same policy, so a rule is
written once. A policy implements ``can_<action>(user, obj)`` and, for actions that list
objects, ``<action>_queryset(user, queryset)``. Anonymous visitors may do nothing unless a policy
says otherwise in ``anonymous_can``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
AnyUser = Any  # a User or an AnonymousUser

_policies: dict[type[Model], Policy[Any]] = {}


class Policy(Generic[M]):
    model: ClassVar[type[Model]]

    def can(self, user: AnyUser, action: str, obj: M | None = None) -> bool:
        check = getattr(self, f"can_{action}", None)
        if check is None:
            raise ValueError(f"{type(self).__name__} knows no action {action!r}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.anonymous_can(action, obj)
        return bool(check(user, obj))

    def anonymous_can(self, action: str, obj: M | None) -> bool:
        return False

    def require(self, user: AnyUser, action: str, obj: M | None = None) -> None:
        """Raise PermissionDenied unless ``user`` may do ``action`` to ``obj``."""
        if not self.can(user, action, obj):
            # No message: the 403 page shows its own Swedish explanation.
            raise PermissionDenied

    def queryset(self, user: AnyUser, action: str = "view") -> QuerySet[M]:
        narrow = getattr(self, f"{action}_queryset", None)
        if narrow is None:
            raise ValueError(f"{type(self).__name__} cannot list objects for {action!r}")
        everything: QuerySet[M] = self.model._default_manager.all()  # type: ignore[assignment]
        if user is None or not user.is_authenticated or not user.is_active:
            return everything.none()
        return narrow(user, everything)


def register(model: type[Model]) -> Callable[[type[Policy[Any]]], type[Policy[Any]]]:
    """Class decorator: make the decorated policy the one for ``model``."""

    def decorate(cls: type[Policy[Any]]) -> type[Policy[Any]]:
        cls.model = model
        _policies[model] = cls()
        return cls

    return decorate


def policy_for(model_or_obj: type[Model] | Model | str) -> Policy[Any]:
    if isinstance(model_or_obj, str):
        model: type[Model] = apps.get_model(model_or_obj)
    elif isinstance(model_or_obj, Model):
        model = type(model_or_obj)
    else:
        model = model_or_obj
    try:
        return _policies[model]
    except KeyError:
        raise LookupError(f"No permission policy is registered for {model._meta.label}") from None


def can(user: AnyUser, action: str, obj: Model | type[Model] | str) -> bool:
    """Ask the policy of ``obj``'s model; ``obj`` may be the model (or its label) for model-wide acts."""
    if isinstance(obj, Model):
        return policy_for(obj).can(user, action, obj)
    return policy_for(obj).can(user, action, None)


def require(user: AnyUser, action: str, obj: Model | type[Model] | str) -> None:
    if not can(user, action, obj):
        raise PermissionDenied
