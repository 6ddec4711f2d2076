"""The municipality's organisation: a tree of units, its people, and the roles they hold where."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN.md §2. Comms, registrar and contact center act municipality-wide;
    unit managers and editors act within a unit and every unit below it."""

    COMMS = "comms", _("Communications officer")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    EDITOR = "editor", _("Editor")
    REGISTRAR = "registrar", _("Registrar")
    CONTACT_CENTER = "contact_center", _("Contact center")
    EMPLOYEE = "employee", _("Employee")


MUNICIPALITY_WIDE_ROLES = frozenset({Role.COMMS, Role.REGISTRAR, Role.CONTACT_CENTER})


class User(AbstractUser):
    """An employee of the municipality who signs in to Sigill."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Unit(models.Model):
    """A förvaltning, avdelning or enhet.

    ``path`` is the materialised path of zero-padded ids from the root
    (``/00000003/00000007/``), so "this unit and every unit below it" is one indexed prefix query
    on any database, and ordering by path lists the tree depth-first.
    """

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration (förvaltning)")
        DEPARTMENT = "department", _("Department (avdelning)")
        SECTION = "section", _("Section (enhet)")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    # A unit that has ended (reorganised away) is closed, not deleted: its accounts, applications
    # and records keep pointing at it, and it takes no new ones.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            # An administration is a root of the tree; departments and sections hang below one.
            models.CheckConstraint(
                name="unit_only_administrations_are_roots",
                condition=Q(kind="administration", parent__isnull=True)
                | Q(~Q(kind="administration"), parent__isnull=False),
            ),
            models.CheckConstraint(name="unit_path_is_set", condition=Q(path__startswith="/")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit", kwargs={"slug": self.slug})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Membership(models.Model):
    """A person holds a role in a unit (and, for unit managers and editors, in every unit below it)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Granted in Sigill")
        IDENTITY_PROVIDER = "idp", _("From single sign-on groups")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role_per_unit"),
            models.CheckConstraint(name="membership_role_is_known", condition=Q(role__in=Role.values)),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class GroupMapping(models.Model):
    """Members of an identity provider group (an Entra ID group object id) hold ``role`` in ``unit``.

    Applied at every single sign-on sign-in, beside the operator's ``OIDC_GROUP_MAP`` setting.
    """

    group_id = models.CharField(_("group id"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="group_mappings"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        ordering = ["group_id", "unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["group_id", "unit", "role"], name="group_mapping_unique"),
            models.CheckConstraint(name="group_mapping_role_is_known", condition=Q(role__in=Role.values)),
            models.CheckConstraint(name="group_mapping_group_id_is_set", condition=~Q(group_id="")),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} → {self.unit} – {self.get_role_display()}"
