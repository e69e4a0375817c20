"""Fix date-times stored outside years 1-9999 (UTC): the rows every desk page failed to read."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.checks import find_unstorable_dates


class Command(BaseCommand):
    help = (
        "Find date-times outside years 1-9999 (UTC) and empty them (or, where a value is "
        "required, use the time the row was recorded)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only list them; exit 1 if there are any."
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        found = list(find_unstorable_dates())
        if not found:
            self.stdout.write("No dates outside years 1-9999.")
            return
        for item in found:
            self.stdout.write(f"Out of range: {item}")
        if check:
            raise CommandError(f"{len(found)} field(s) hold dates outside years 1-9999.")
        with transaction.atomic():
            fixed = sum(item.repair() for item in found)
        self.stdout.write(self.style.SUCCESS(f"Repaired {fixed} value(s)."))
