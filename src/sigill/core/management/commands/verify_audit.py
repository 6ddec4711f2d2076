from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.core import anchors, audit, timestamps


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and report the first broken link; with anchored heads "
        "(the anchor file, or --head), also report entries cut off its end or rewritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        anchors.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            known, source = anchors.given(audit.CHAIN, file=options["anchors"], head=options["head"])
        except anchors.AnchorError as error:
            raise CommandError(str(error)) from error
        count, found = audit.verify_chain()
        problems = []
        if found is not None:
            problems.append(f"Audit log broken at entry {found.entry_id}: {found.reason}.")
        comparison = anchors.compare(audit.CHAIN, known)
        if comparison.problem:
            problems.append(f"Against {source}: {comparison.problem}")
        stamp_problems, stamped = timestamps.check_anchors(known)
        problems.extend(f"Against {source}: {problem}." for problem in stamp_problems)
        if found is None:  # a broken chain vouches for nothing, so its entries are not compared
            problems.extend(audit.check_states())
        if problems:
            raise CommandError("\n".join(problems))
        head = audit.CHAIN.head()
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {count} entries; head {f'{head.position}:{head.hash}' if head else '-'}"
            )
        )
        self.stdout.write(anchors.summary(audit.CHAIN, comparison, source))
        if stamped is not None:
            head, stamp = stamped
            self.stdout.write(
                f"The anchored {head.describe()} is time-stamped {stamp.time:%Y-%m-%d %H:%M:%S} UTC by "
                f"{stamp.signer} (RFC 3161, serial {stamp.serial}): the chain up to it existed then."
            )
