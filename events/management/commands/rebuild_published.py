"""Rebuild every public document (after a deploy, or a change of NEWSROOM_SITE_URL), or check them.

python manage.py rebuild_published           # rebuild, with a progress bar
python manage.py rebuild_published --check   # list drift, exit 1 if there is any
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.publication.rebuild import check_all, rebuild_all, total


class Command(BaseCommand):
    help = "Rebuild the stored public documents from the records (or --check them)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; list each document unlike a fresh build; exit 1 if any.",
        )

    def handle(self, *args, check: bool = False, verbosity: int = 1, **options) -> None:
        with tqdm(total=total(), unit="record", disable=verbosity < 1, file=sys.stderr) as bar:
            if check:
                drift = check_all(bar.update)
            else:
                changed = rebuild_all(bar.update)
        if check:
            for problem in drift:
                self.stdout.write(str(problem))
            if drift:
                raise CommandError(f"{len(drift)} public documents differ from a fresh build.")
            self.stdout.write("Every public document matches a fresh build.")
        else:
            self.stdout.write(f"Rebuilt the public documents: {changed} changed.")
