"""`afterglow write [TEXT]`: a new entry from the argument, from stdin, or from $EDITOR."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.journal import autosave as saving
from afterglow.journal import cli_format as fmt
from afterglow.lib.errors import UserError
from afterglow.vault.verbs import Command as BaseCommand

if TYPE_CHECKING:
    from afterglow.prompts.library import Prompt

# RAM-backed where the system has it, so the draft never touches the disk.
SHARED_MEMORY = Path("/dev/shm")


class Command(BaseCommand):
    help = (
        "Write a journal entry in your $EDITOR (run it on a terminal without TEXT) or pipe it in on stdin. "
        "TEXT given as an argument works too, but it is visible to other users of this computer and kept in shell history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "text", nargs="?", help=f"the entry; better left out: stdin, or $EDITOR on a terminal ({fmt.ARGV_IS_VISIBLE})"
        )
        parser.add_argument("--session", type=int, metavar="N", help="link the entry to session N of your course")
        parser.add_argument("--prompt", metavar="ID", help="the prompt this answers, e.g. three-stage/first")
        parser.add_argument("--private", action="store_true", help="never include this entry in shared reports")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = local_patient()
        session = fmt.session_option(owner, options["session"])
        prompt = _prompt(owner, options["prompt"])
        text = self.entry_text(options["text"])
        # The web's own save: the same text rules, line endings and entry fields for a prompt.
        try:
            saved = saving.autosave(owner, uuid.uuid4(), text, session=session, prompt=prompt, private=options["private"])
        except saving.AutosaveError as exc:
            raise UserError(str(exc)) from None
        where = f" for session {session.number}" if session else ""
        self.stdout.write(f"Saved entry {saved.entry.pk}{where}.")

    def entry_text(self, argument: str | None) -> str:
        if argument is not None:
            text = fmt.utf8_argument(argument, "the entry")
        elif not sys.stdin.isatty():
            text = fmt.read_text(sys.stdin.buffer, settings.ENTRY_MAX_CHARS)
        else:
            text = text_from_editor(settings.ENTRY_MAX_CHARS)
        return text.rstrip()


def _prompt(owner: Any, key: str | None) -> Prompt | None:
    """The prompt `--prompt` names, found as the writing page finds it (packs and own prompts)."""
    if not key:
        return None
    found = saving.find_prompt(owner, key)
    if found is None:
        raise UserError(f"There is no prompt {key!r}; prompt ids look like three-stage/first")
    return found


def text_from_editor(max_chars: int) -> str:
    """Open $VISUAL/$EDITOR on an empty file in a private temporary folder, then remove it all."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        raise UserError("No text given and no $EDITOR set: pass the text, pipe it in, or set $EDITOR")
    base = SHARED_MEMORY if SHARED_MEMORY.is_dir() and os.access(SHARED_MEMORY, os.W_OK) else None
    # mkdtemp makes the folder 0700; the editor's swap and backup files land in it too.
    folder = Path(tempfile.mkdtemp(prefix="afterglow-", dir=base))
    try:
        path = folder / "entry.md"
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            result = subprocess.run([*shlex.split(command), str(path)], check=False)
        except OSError as exc:
            raise UserError(f"Could not start your editor ({command}): {exc.strerror}") from None
        if result.returncode != 0:
            raise UserError("The editor exited with an error; nothing was saved")
        with path.open("rb") as draft:
            return fmt.read_text(draft, max_chars, "the entry")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
