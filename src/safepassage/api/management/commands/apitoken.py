"""Issue an API token for a user in an organisation (printed once)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safepassage.api.models import ApiToken
from safepassage.api.services import api_token_issue, api_token_revoke
from safepassage.core.errors import NotFoundError
from safepassage.core.models import Organization


class Command(BaseCommand):
    help = (
        "Issue an API token for USERNAME in organisation SLUG (shown once), or revoke one: "
        "apitoken --revoke PREFIX (the first ten characters, as listed in the admin)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("organization", nargs="?")
        parser.add_argument("--revoke", metavar="PREFIX")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["revoke"]:
            tokens = ApiToken.objects.filter(prefix=options["revoke"], revoked_at__isnull=True)
            if tokens.count() != 1:
                raise CommandError("no single live token has this prefix")
            api_token_revoke(actor=None, token=tokens.get())
            self.stdout.write("revoked")
            return
        if not options["username"] or not options["organization"]:
            raise CommandError("give USERNAME and ORGANIZATION, or --revoke PREFIX")
        try:
            user = get_user_model().objects.get(username=options["username"])
            organization = Organization.objects.get(slug=options["organization"])
            _record, token = api_token_issue(
                actor=None,
                user=user,
                organization=organization,
                name=options["name"],
                days=options["days"],
            )
        except (get_user_model().DoesNotExist, Organization.DoesNotExist, NotFoundError) as exc:
            raise CommandError("no such user, organisation or membership") from exc
        self.stdout.write(token)
