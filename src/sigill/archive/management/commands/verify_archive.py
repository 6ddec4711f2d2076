from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.archive import seal
from sigill.core import anchors, timestamps


class Command(BaseCommand):
    help = (
        "Recompute the archive's hash chain and every sealed row, report the first broken link, "
        "check every attachment file against its SHA-256, and check the search index's restrictions "
        "against the sealed facts; with anchored heads (the anchor file, or --head), also report "
        "events cut off the chain's end or rewritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        anchors.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            known, source = anchors.given(seal.CHAIN, file=options["anchors"], head=options["head"])
        except anchors.AnchorError as error:
            raise CommandError(str(error)) from error
        report = seal.verify(progress=self.stdout.write if options["verbosity"] > 1 else None)
        problems = []
        if report.broken is not None:
            problems.append(f"The chain breaks at event {report.broken.entry_id}: {report.broken.reason}.")
        problems.extend(f"Attachment {problem}." for problem in report.bad_files)
        problems.extend(f"Search index, {problem}." for problem in report.index_problems)
        comparison = anchors.compare(seal.CHAIN, known)
        if comparison.problem:
            problems.append(f"Against {source}: {comparison.problem}")
        stamp_problems, stamped = timestamps.check_anchors(known)
        problems.extend(f"Against {source}: {problem}." for problem in stamp_problems)
        if problems:
            raise CommandError("\n".join(problems))
        for event in report.disposals:
            details = event.details
            self.stdout.write(
                f"Disposal at event {event.pk} on {event.created_at:%Y-%m-%d %H:%M} UTC by "
                f"{event.actor_label or '-'}: {event.row_count} sealed rows of {details.get('items', '?')} "
                f"items removed under the rule “{details.get('rule', '?')}” ({details.get('decision', '')})."
            )
        head = seal.CHAIN.head()
        self.stdout.write(
            self.style.SUCCESS(
                f"The archive holds: {report.events} events and {report.rows} sealed rows link up, "
                f"and {report.files} files match their hashes. Head "
                f"{f'{head.position}:{head.hash}' if head else '-'}."
            )
        )
        self.stdout.write(anchors.summary(seal.CHAIN, comparison, source))
        if stamped is not None:
            head, stamp = stamped
            self.stdout.write(
                f"The anchored {head.describe()} is time-stamped {stamp.time:%Y-%m-%d %H:%M:%S} UTC by "
                f"{stamp.signer} (RFC 3161, serial {stamp.serial}): the chain up to it existed then."
            )
