"""`afterglow clinic createadmin USERNAME`: the first clinic admin (clinic mode), by an invite link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from afterglow import modes
from afterglow.lib.errors import UserError
from afterglow.web.cli import Command as BaseCommand


class Command(BaseCommand):
    help = "Clinic mode: make the first clinic admin (prints a one-time link to choose a password)."
    needs_unlock = False  # no vault in clinic mode

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("createadmin", help="a clinic admin account, or a new invite for one")
        create.add_argument("username")
        sub.add_parser("demo", help="a demo clinic in an empty throwaway database (make clinic-demo)")

    def _demo(self) -> None:
        from afterglow.clinic import demo
        from afterglow.clinic.models import Member

        if Member.objects.exists():
            raise UserError("this database already has clinic accounts; the demo needs an empty one")
        host = settings.ALLOWED_HOSTS[0].lstrip(".")
        for username, role, way_in in demo.build():
            shown = f"https://{host}{way_in}" if way_in.startswith("/") else way_in
            self.stdout.write(f"  {role:<9} {username:<10} {shown}")

    def handle(self, *args: Any, **options: Any) -> None:
        if not modes.current().clinic:
            raise UserError("clinic accounts exist only in clinic mode (AFTERGLOW_MODE=clinic)")
        if options["action"] == "demo":
            return self._demo()
        from afterglow.clinic import accounts
        from afterglow.clinic.forms import InviteForm

        form = InviteForm({"username": options["username"], "role": "admin"})
        if not form.is_valid():
            raise UserError(" ".join(str(e) for e in form.errors["username"]))
        try:
            member, token = accounts.create_admin(form.cleaned_data["username"])
        except accounts.AccountProblem as e:
            raise UserError(str(e)) from None
        host = settings.ALLOWED_HOSTS[0].lstrip(".")
        self.stdout.write(f"Clinic admin {member.user.username}: open this link once, within 7 days, to choose a password")
        self.stdout.write(f"and add an authenticator app: https://{host}/invite/{token}")
