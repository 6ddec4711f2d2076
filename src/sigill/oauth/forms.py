from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AppPasswordForm(forms.Form):
    """An app password, typed once: never shown again, never kept (only the session it opens)."""

    app_password = forms.CharField(
        label=_("App password"),
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Create one in Bluesky under Settings → Privacy and security → App passwords."),
    )
