"""The person's inbox and notification choices, as JSON: the same services as the pages. The
inbox (newest first, a page at a time) and marking it read; which channels each group of
messages goes by; and the devices signed up for push messages, each with its own choice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from ninja import Field, Router, Schema, Status

from gerbang.core import messages as message_kinds
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import NotFound
from gerbang.core.http import AuthenticatedRequest
from gerbang.notifications import push, selectors, services
from gerbang.notifications.kinds import offered_channels
from gerbang.notifications.models import PushSubscription

router = Router(tags=["notifications"])
PAGE_SIZE = 30


class InboxItemOut(Schema):
    id: int
    subject: str
    body: str
    link: str = Field(description="The page it is about, on this site ('' if none).")
    created_at: datetime
    read: bool


class InboxOut(Schema):
    items: list[InboxItemOut]
    unread: int = Field(description="Unread messages in the whole inbox.")
    page: int
    pages: int


class ReadIn(Schema):
    items: list[int] | None = Field(
        None, description="The messages to mark read; leave out to mark the whole inbox read."
    )


class ReadOut(Schema):
    marked: int
    unread: int


class GroupOut(Schema):
    key: str = Field(examples=["decision"])
    label: str
    help: str
    offered: list[str] = Field(description="The channels that may be chosen for this group.")
    channels: list[str] = Field(description="The channels chosen (the inbox always receives).")


class DeviceOut(Schema):
    id: int
    name: str = Field(examples=["Chrome, Android"])
    created_at: datetime
    last_sent_at: datetime | None
    groups: list[str] = Field(description="The groups of messages this device shows.")


class ChoicesOut(Schema):
    groups: list[GroupOut]
    devices: list[DeviceOut]
    push_key: str = Field(
        description="The applicationServerKey (VAPID public key) to subscribe a browser with; '' if push is off."
    )


class ChoicesIn(Schema):
    choices: dict[str, list[str]] = Field(
        description="Channels per group key, e.g. {'decision': ['sms', 'push']}; groups left out keep theirs.",
        examples=[{"application": ["email", "push"], "decision": ["sms"]}],
    )


class SubscriptionKeysIn(Schema):
    p256dh: str
    auth: str


class DeviceIn(Schema):
    endpoint: str = Field(description="The browser's PushSubscription endpoint.")
    keys: SubscriptionKeysIn


class DeviceChangeIn(Schema):
    name: str | None = Field(None, max_length=200, description="Leave out to keep the name.")
    groups: list[str] | None = Field(None, description="Leave out to keep the groups.")


def _item(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "subject": item.subject,
        "body": item.body,
        "link": item.href,
        "created_at": item.created_at,
        "read": item.read_at is not None,
    }


def _device(device: PushSubscription) -> dict[str, Any]:
    return {
        "id": device.pk,
        "name": device.name,
        "created_at": device.created_at,
        "last_sent_at": device.last_sent_at,
        "groups": [key for key in message_kinds.groups() if device.takes(key)],
    }


def _choices(user: Any) -> dict[str, Any]:
    return {
        "groups": [
            {
                "key": group.key,
                "label": str(group.label),
                "help": str(group.help),
                "offered": [str(channel) for channel in offered_channels(group.key)],
                "channels": sorted(selectors.chosen_channels(user, group.key)),
            }
            for group in message_kinds.groups().values()
        ],
        "devices": [_device(device) for device in selectors.push_devices(user)],
        "push_key": push.public_key() if push.available() else "",
    }


@router.get("/inbox", response=InboxOut, auth=signed_in(Scope.NOTIFICATIONS))
def inbox(request: AuthenticatedRequest, page: int = 1) -> dict[str, Any]:
    """The inbox, newest first, 30 messages a page."""
    paginator = Paginator(selectors.inbox_of(request.user), PAGE_SIZE)
    shown = paginator.get_page(page)
    return {
        "items": [_item(item) for item in shown],
        "unread": selectors.unread_count(request.user),
        "page": shown.number,
        "pages": paginator.num_pages,
    }


@router.post("/inbox/read", response=ReadOut, auth=signed_in(Scope.NOTIFICATIONS))
def inbox_read(request: AuthenticatedRequest, payload: ReadIn) -> dict[str, Any]:
    ids = None if payload.items is None else [i for i in payload.items if 0 < i < 2**63]
    marked = services.inbox_mark_read(user=request.user, item_ids=ids)
    return {"marked": marked, "unread": selectors.unread_count(request.user)}


@router.get("/me/notifications", response=ChoicesOut, auth=signed_in(Scope.NOTIFICATIONS))
def choices(request: AuthenticatedRequest) -> dict[str, Any]:
    """How each group of messages reaches the person, and their devices with push messages."""
    return _choices(request.user)


@router.put("/me/notifications", response=ChoicesOut, auth=signed_in(Scope.NOTIFICATIONS))
def choices_set(request: AuthenticatedRequest, payload: ChoicesIn) -> dict[str, Any]:
    services.preferences_set(user=request.user, choices=payload.choices)
    return _choices(request.user)


@router.post("/me/notifications/devices", response={201: DeviceOut}, auth=signed_in(Scope.NOTIFICATIONS))
def device_add(request: AuthenticatedRequest, payload: DeviceIn) -> Status[Any]:
    """Sign a browser (or an app's web view) up for push messages with its PushSubscription."""
    device = services.push_subscribe(
        user=request.user,
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, _device(device))


def _own_device(request: AuthenticatedRequest, pk: int) -> PushSubscription:
    device = PushSubscription.objects.filter(user=request.user, pk=pk).first()
    if device is None:
        raise NotFound()
    return device


@router.patch("/me/notifications/devices/{pk}", response=DeviceOut, auth=signed_in(Scope.NOTIFICATIONS))
def device_change(request: AuthenticatedRequest, pk: int, payload: DeviceChangeIn) -> dict[str, Any]:
    """Rename a device, or choose the groups of messages it shows."""
    device = _own_device(request, pk)
    current = _device(device)
    changed = services.push_device_update(
        user=request.user,
        device_id=device.pk,
        name=device.name if payload.name is None else payload.name,
        groups=current["groups"] if payload.groups is None else payload.groups,
    )
    return _device(changed)


@router.delete("/me/notifications/devices/{pk}", response={204: None}, auth=signed_in(Scope.NOTIFICATIONS))
def device_remove(request: AuthenticatedRequest, pk: int) -> Status[None]:
    """Stop push messages to a device."""
    services.push_device_remove(user=request.user, device_id=_own_device(request, pk).pk)
    return Status(204, None)
