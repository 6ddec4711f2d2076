import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.reports import selectors, services
from sigill.reports.periods import Month


def month(value: str) -> Month:
    if not re.fullmatch(r"\d{4}-\d{2}", value):
        raise CommandError(f"--month wants YYYY-MM, not {value!r}")
    try:
        return Month(int(value[:4]), int(value[5:]))
    except ValueError as wrong:
        raise CommandError(str(wrong)) from wrong


class Command(BaseCommand):
    help = (
        "E-mail last month's report (PDF and CSV) to the communications department, on the first "
        "working day of the month (Swedish holidays counted) or the first run after it. Each month's "
        "report is sent once; run it as often as you like (the scheduler runs it hourly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--month",
            type=month,
            help="Send this month's report (YYYY-MM) now; again if it has been sent before.",
        )

    def handle(self, *args: Any, month: Month | None = None, **options: Any) -> None:
        if month is not None and selectors.monthly_report_sent(month) is not None:
            count = services.resend_monthly_report(period=month)
            self._say(options, f"The report for {month} went again to {count} people.")
            return
        sent = services.send_monthly_report(period=month)
        if sent is not None:
            self._say(options, f"The report for {sent} went to {sent.recipients} people.")
        elif not services.recipients():
            self.stderr.write("Nobody in communications has an e-mail address: the report was not sent.")
        else:
            self._say(options, "No report was due (not yet the first working day, or already sent).")

    def _say(self, options: dict[str, Any], text: str) -> None:
        if options["verbosity"] > 0:
            self.stdout.write(text)
