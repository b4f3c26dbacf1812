"""Work team services: create, change, and invite a reviewer by email."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from a2i_portal import clock
from a2i_portal.access.roles import reviewer_group
from a2i_portal.errors import Conflict, Invalid, NotFound
from a2i_portal.validation import full_clean_or_invalid
from workflows.models import WorkTeam
from workflows.services.saving import insert_named
from workflows.services.tags import add_tags


@transaction.atomic
def create_work_team(
    *,
    name: str,
    description: str,
    members: Iterable[User] = (),
    member_groups: Iterable[Group] = (),
    notify_by_email: bool = True,
    tags: Mapping[str, str] | None = None,
) -> WorkTeam:
    """Create a work team. Raises Invalid (name pattern, description, tags) or Conflict (name
    taken); a refused team writes nothing."""
    now = clock.now()
    team = WorkTeam(
        name=name,
        description=description,
        notify_by_email=notify_by_email,
        created_at=now,
        updated_at=now,
    )
    insert_named(team, kind="work team")
    team.members.set(members)
    team.member_groups.set(member_groups)
    if tags:
        add_tags(resource=team, tags=tags)
    return team


@transaction.atomic
def update_work_team(
    *,
    team: WorkTeam,
    description: str | None = None,
    members: Iterable[User] | None = None,
    member_groups: Iterable[Group] | None = None,
    notify_by_email: bool | None = None,
) -> WorkTeam:
    """Change a work team: what is given replaces what the team had (`members=[]` removes every
    direct member), what is None stays. Raises Invalid (description) or NotFound (the team is
    gone); a refused change writes nothing."""
    # The row lock orders concurrent updates and waits for a deletion in progress.
    locked = WorkTeam.objects.select_for_update().filter(pk=team.pk).first()
    if locked is None:
        raise NotFound("name", f"the work team {team.name!r} no longer exists")
    team = locked
    if description is not None:
        team.description = description
    if notify_by_email is not None:
        team.notify_by_email = notify_by_email
    team.updated_at = clock.now()
    full_clean_or_invalid(team)
    team.save(update_fields=["description", "notify_by_email", "updated_at"])
    if members is not None:
        team.members.set(members)
    if member_groups is not None:
        team.member_groups.set(member_groups)
    return team


@dataclass(frozen=True)
class Invitation:
    """What invite_reviewer() did: the reviewer's account, whether it was made now, whether it
    joined the team now, and whether a set-password link was emailed."""

    user: User
    created: bool
    added: bool
    emailed: bool


@transaction.atomic
def invite_reviewer(*, team: WorkTeam, email: str, site_url: str | None = None) -> Invitation:
    """Add the person with this email address to the team as a reviewer. Nobody has the address:
    make their account (user name from the address, no usable password, in the reviewer group).
    The account has no password yet: email it a link to choose one, built on `site_url`
    (default SITE_URL). Raises Invalid (email), Conflict (the address belongs to two accounts or
    a deactivated one, the reviewer is already in the team, the email could not be sent) or
    NotFound (the team is gone); a refused invitation writes nothing and sends nothing."""
    address = email_address(email)
    # The team's row lock orders invitations to one team: the second of two invitations of the
    # same address finds the account the first one made.
    locked = WorkTeam.objects.select_for_update().filter(pk=team.pk).first()
    if locked is None:
        raise NotFound("team", f"the work team {team.name!r} no longer exists")
    team = locked
    user, created = account_for(address)
    if not user.is_active:
        raise Conflict(
            "email",
            f"{address} belongs to the deactivated account {user.get_username()!r}; "
            "reactivate it in Users first",
        )
    is_reviewer = not created and (
        team.members.filter(pk=user.pk).exists() or team.member_groups.filter(user=user).exists()
    )
    if is_reviewer and user.has_usable_password():
        raise Conflict(
            "email",
            f"{address} ({user.get_username()}) is already a reviewer of the work team "
            f"{team.name!r}",
        )
    if not is_reviewer:
        team.members.add(user)
        team.updated_at = clock.now()
        team.save(update_fields=["updated_at"])
    emailed = not user.has_usable_password()
    if emailed:  # last: a failure to send undoes the invitation, and the operator can retry
        send_set_password_link(user=user, team=team, site_url=site_url or settings.SITE_URL)
    return Invitation(user=user, created=created, added=not is_reviewer, emailed=emailed)


def email_address(email: str) -> str:
    """The address as accounts store it (domain in lower case). Raises Invalid (email)."""
    address = (email or "").strip()
    email_field = User._meta.get_field("email")
    if len(address) > email_field.max_length:
        raise Invalid("email", f"must be at most {email_field.max_length} characters")
    try:
        validate_email(address)
    except ValidationError:
        raise Invalid(
            "email", f"must be an email address like name@example.com: {email!r}"
        ) from None
    return User.objects.normalize_email(address)


def account_for(address: str) -> tuple[User, bool]:
    """The one account with this address (any case), or a new reviewer account for it."""
    found = list(User.objects.filter(email__iexact=address).order_by("pk")[:3])
    if len(found) > 1:
        names = ", ".join(user.get_username() for user in found[:2])
        raise Conflict(
            "email",
            f"{address} belongs to more than one account ({names}); add the reviewer by user "
            "name in the team's Members instead",
        )
    if found:
        return found[0], False
    base = username_base(address)
    for attempt in range(1, 100):
        username = base if attempt == 1 else f"{base}{attempt}"
        if User.objects.filter(username__iexact=username).exists():
            continue
        user = User(username=username, email=address)
        user.set_unusable_password()
        try:
            with transaction.atomic():  # a savepoint: a concurrent account of the name lands here
                user.save(force_insert=True)
        except IntegrityError:
            # The other account committed before our insert failed: if it is this address's,
            # (another invitation of it at the same moment) it is the one to add.
            same = User.objects.filter(email__iexact=address).order_by("pk").first()
            if same is not None:
                return same, False
            continue
        user.groups.add(reviewer_group())
        return user, True
    raise Conflict("email", f"no free user name could be derived from {address}")


def username_base(address: str) -> str:
    """`Ann.Lee+review@example.com` -> `ann.lee+review`: the address's local part, in the
    characters a user name allows."""
    local = address.rsplit("@", 1)[0].lower()
    cleaned = re.sub(r"[^\w.@+-]", "", local)[:USERNAME_BASE_MAX_LENGTH]
    return cleaned or "reviewer"


def send_set_password_link(*, user: User, team: WorkTeam, site_url: str) -> None:
    """Email the reviewer a one-time link to choose a password (Django's password reset token:
    it stops working once a password is set, or after PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = urljoin(site_url, path)
    login = urljoin(site_url, reverse("login"))
    body = INVITATION_EMAIL.format(
        team=team.name,
        description=team.description,
        link=link,
        username=user.get_username(),
        valid_for=duration(settings.PASSWORD_RESET_TIMEOUT),
        login=login,
    )
    try:
        send_mail(
            subject=f"You are invited to review for {team.name}",
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )
    except (OSError, smtplib.SMTPException) as exc:
        raise Conflict(
            "email",
            f"the email to {user.email} could not be sent ({exc}); nothing was changed, try again",
        ) from exc


def duration(seconds: int) -> str:
    days, rest = divmod(int(seconds), 86_400)
    if days and not rest:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, round(seconds / 3600))
    return f"{hours} hour{'s' if hours != 1 else ''}"


USERNAME_BASE_MAX_LENGTH = 140  # of the 150 a user name has: room for a number
INVITATION_EMAIL = """Hello,

You have been added as a reviewer to the work team "{team}" in the A2I portal, where people
review the predictions of machine learning models. What the team does: {description}

Choose your password here:

{link}

Your user name is: {username}

The link can be used once and works for {valid_for}. If it has stopped working, ask the person
who invited you to add you again: you will receive a new one.

Once your password is set, sign in at {login}
"""
