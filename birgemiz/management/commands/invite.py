"""`manage.py invite EMAIL --operator [--name "…"] [--base-url URL] [--language kk|ru|en]`:
the first operator of a new deployment. It writes an invitation, sends its letter and
prints the link; the operator sets a password there and invites everyone else from the
admin (Invitations). Nothing after this needs the shell."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from birgemiz import invitations
from birgemiz.audit import acting_as
from birgemiz.models import Invitation


class Command(BaseCommand):
    help = (
        "Invite the first operator (the grant operator's administrator): writes a one-time "
        "invitation, e-mails it and prints its link."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--operator",
            action="store_true",
            help="Invite as operator (the only role the shell invites; the rest are invited in the admin).",
        )
        parser.add_argument("--name", default="", help="The person's full name.")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"),
            help="The site's address as people open it (default: SITE_URL).",
        )
        parser.add_argument("--language", default="kk", choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, *args, email, operator, name, base_url, language, **options):
        if not operator:
            raise CommandError(
                "Only the first operator is invited from the shell: add --operator. Coordinators, "
                "officers, council members and volunteers are invited in the admin (Invitations)."
            )
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"Not an e-mail address: {email}") from exc
        with acting_as(None, "shell"):
            sent = invitations.invitation_send(
                invited_by=None,
                role=Invitation.Role.OPERATOR,
                email=email,
                full_name=name,
                language=language,
                base_url=base_url,
            )
        self.stdout.write(self.style.SUCCESS(f"Invitation sent to {sent.email} (operator)."))
        self.stdout.write(f"Link (works once, for {invitations.INVITATION_DAYS} days):\n  {sent.link}")
