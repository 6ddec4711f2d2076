"""The public verification page: anyone can check a disclosed copy against the archive."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sigill.records import verification
from sigill.records.forms import VerifyForm


def verify(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST checks a reference and seal, or a package's JSON file. No log-in."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdicts: list[verification.Verdict] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["package"] is not None:
            try:
                verdicts = verification.verify_package(data["package"].read())
            except verification.TooManyRecords:
                form.add_error(
                    "package",
                    _("The file holds more than %(count)d records; ask the municipality to check it.")
                    % {"count": verification.MAX_RECORDS},
                )
            except verification.NotAPackage:
                form.add_error(
                    "package", _("The file is not the JSON file of a disclosure package from Sigill.")
                )
        else:
            verdicts = [verification.verify(data["reference"], data["seal"])]
    status = 422 if form.errors else 200
    return render(request, "records/public/verify.html", {"form": form, "verdicts": verdicts}, status=status)
