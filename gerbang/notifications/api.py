"""A person's inbox as JSON: the same selectors and services as the inbox page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Router, Schema

from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.http import AuthenticatedRequest
from gerbang.notifications import selectors, services

router = Router(tags=["inbox"])
INBOX_PAGE = 50


class InboxItemOut(Schema):
    id: int
    subject: str
    body: str
    link: str = Field(description="An address within this site, or empty.")
    created_at: datetime
    read: bool


class InboxOut(Schema):
    unread: int
    items: list[InboxItemOut] = Field(description=f"The newest {INBOX_PAGE} messages, newest first.")


class ReadIn(Schema):
    items: list[int] | None = Field(None, description="The messages read; none given: every message.")


class ReadOut(Schema):
    marked: int
    unread: int


@router.get("/inbox", response=InboxOut, auth=signed_in(Scope.NOTIFICATIONS))
def inbox(request: AuthenticatedRequest) -> dict[str, Any]:
    items = selectors.inbox_of(request.user)[:INBOX_PAGE]
    return {
        "unread": selectors.unread_count(request.user),
        "items": [
            {
                "id": item.pk,
                "subject": item.subject,
                "body": item.body,
                "link": item.href,
                "created_at": item.created_at,
                "read": item.read_at is not None,
            }
            for item in items
        ],
    }


@router.post("/inbox/read", response=ReadOut, auth=signed_in(Scope.NOTIFICATIONS))
def mark_read(request: AuthenticatedRequest, payload: ReadIn) -> dict[str, Any]:
    ids = None if payload.items is None else [i for i in payload.items if 0 < i < 2**63]
    marked = services.inbox_mark_read(user=request.user, item_ids=ids)
    return {"marked": marked, "unread": selectors.unread_count(request.user)}
