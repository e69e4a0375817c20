"""Write today's bulk exports now (beat does it daily): see events.publication.exports.

python manage.py export_public_data           # today's, unless it exists
python manage.py export_public_data --force   # today's again, from a fresh snapshot
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from events.publication.exports import build_exports, exports_dir


class Command(BaseCommand):
    help = "Write today's gzipped dumps of every public document (and events as CSV, GeoJSON)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Write today's export again if it exists."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        manifest = build_exports(force=force)
        if manifest is None:
            raise CommandError("Another export is running; try again when it has finished.")
        self.stdout.write(
            f"Export of {manifest.date} in {exports_dir()}, position {manifest.position}:"
        )
        for entry in manifest.files:
            self.stdout.write(
                f"  {entry.name}: {entry.rows} rows, {entry.bytes} bytes, sha256 {entry.sha256}"
            )
