"""`afterglow image add FILE [--session N] [--caption TEXT]`: a photo into the journal, stripped of its tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.journal import cli_format as fmt
from afterglow.lib.errors import UserError
from afterglow.lib.files import FileRefused, read_bounded
from afterglow.media.visual import pictures
from afterglow.media.visual.photos import MAX_BYTES, PhotoError, process_photo
from afterglow.vault.verbs import Command as BaseCommand
from afterglow.web.cli import OneLineParser


class Command(BaseCommand):
    help = "Add a photo (JPEG, PNG, WebP or HEIC) to your journal; its location and camera details are removed."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="add", parser_class=OneLineParser)
        add = actions.add_parser("add", help="add a photo from a file")
        add.add_argument("file", help="the photo")
        add.add_argument("--session", type=int, metavar="N", help="link it to session N of your course")
        add.add_argument("--caption", default="", help=f"a few words about it; '-' reads them from stdin ({fmt.ARGV_IS_VISIBLE})")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].strip():
            raise UserError("Give the file of the photo to add, for example: afterglow image add photo.jpg")
        owner = local_patient()
        session = fmt.session_option(owner, options["session"])
        caption = fmt.text_option(options["caption"], "--caption")
        try:
            caption = pictures.clean_caption(caption)
            photo = process_photo(read_photo(Path(options["file"])))
        except (PhotoError, pictures.CaptionError) as exc:
            raise UserError(f"{options['file']}: {exc}") from None
        picture = pictures.add_photo(owner, photo, pictures.Place(session=session), caption)
        where = f" for session {session.number}" if session else ""
        size = f"{photo.image.width}×{photo.image.height}"
        self.stdout.write(f"Added photo {picture.pk}{where} ({size}, location and camera details removed).")


def read_photo(path: Path) -> bytes:
    """The photo's bytes: a regular file or a pipe, refused past the size limit without holding more."""
    try:
        return read_bounded(path, MAX_BYTES, _too_big, what="photo")
    except FileRefused as exc:
        raise UserError(str(exc)) from None


def _too_big(size: int) -> str:
    # From a pipe the size is only "past the limit", so the message does not claim a figure.
    most = MAX_BYTES // 1024 // 1024
    return f"this is more than {most} MB; photos can be up to {most} MB. A smaller copy will do."
