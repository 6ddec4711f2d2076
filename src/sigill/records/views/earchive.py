"""The e-archive button: a package of one account's records over a period, downloaded as tar."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse

from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.records import forms
from sigill.records.earchive.writer import remove, tar_stream
from sigill.records.models import RetentionRule
from sigill.records.services import earchive as services
from sigill.records.views.common import page


@login_required
def earchive(request: SignedInRequest) -> HttpResponse | StreamingHttpResponse:
    policy_for(RetentionRule).require(request.user, "manage")
    form = forms.EArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = Path(tempfile.mkdtemp(prefix="sigill-earchive-"))
        try:
            summary = services.export(
                account=data["account"],
                target=target,
                since=forms.local_day_start(data["since"]) if data["since"] else None,
                until=forms.local_day_start(data["until"] + dt.timedelta(days=1)) if data["until"] else None,
                only_kept=data["only_kept"],
                by=request.user,
            )
        except BaseException:
            remove(target)  # a failed export leaves no half-written package (of records) behind
            raise

        def stream() -> Iterator[bytes]:
            try:
                yield from tar_stream(summary.path)
            finally:
                remove(target)

        response = StreamingHttpResponse(stream(), content_type="application/x-tar")
        response["Content-Disposition"] = f'attachment; filename="{summary.objid}.tar"'
        return response
    return page(request, "records/earchive.html", {"form": form}, status=422 if form.errors else 200)
