"""Read endpoints of public content: FAQ, guides, notices in force, and search."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import PageNumberPagination, paginate

from gerbang.content import selectors
from gerbang.content.models import Announcement, Faq, Guide
from gerbang.core import search
from gerbang.core.bilingual import active_language
from gerbang.core.exceptions import NotFound
from gerbang.core.http import public_read

router = Router(tags=["content"])


class FaqOut(Schema):
    slug: str
    category: str
    question: str
    answer: str
    services: list[str]


class GuideOut(Schema):
    slug: str
    title: str
    summary: str
    steps: list[str]
    services: list[str]


class NoticeOut(Schema):
    id: int
    level: str
    office: str | None
    title: str
    body: str
    starts_at: datetime
    ends_at: datetime | None


class SearchHitOut(Schema):
    kind: str
    key: str
    title: str
    url: str
    language: str


@router.get("/faq", response=list[FaqOut])
@decorate_view(public_read)
@paginate(PageNumberPagination, page_size=50)
def list_faq(request: HttpRequest, category: str = "") -> list[dict[str, object]]:
    entries = Faq.objects.published().select_related("category").prefetch_related("services")
    if category:
        entries = entries.filter(category__slug=category)
    return [
        {
            "slug": e.slug,
            "category": e.category.slug,
            "question": str(e.question),
            "answer": str(e.answer),
            "services": [s.code for s in e.services.all()],
        }
        for e in entries
    ]


def _guide(guide: Guide) -> dict[str, object]:
    return {
        "slug": guide.slug,
        "title": str(guide.title),
        "summary": str(guide.summary),
        "steps": [str(step.text) for step in guide.steps.all()],
        "services": [s.code for s in guide.services.all()],
    }


@router.get("/guides", response=list[GuideOut])
@decorate_view(public_read)
@paginate(PageNumberPagination, page_size=50)
def list_guides(request: HttpRequest) -> list[dict[str, object]]:
    return [_guide(g) for g in selectors.published_guides().prefetch_related("steps", "services")]


@router.get("/guides/{slug}", response=GuideOut)
@decorate_view(public_read)
def get_guide(request: HttpRequest, slug: str) -> dict[str, object]:
    guide = selectors.guide_by_slug(slug)
    if guide is None:
        raise NotFound(field="slug")
    return _guide(guide)


@router.get("/notices", response=list[NoticeOut])
@decorate_view(public_read)
@paginate(PageNumberPagination, page_size=50)
def list_notices(request: HttpRequest, office: str = "", level: str = "") -> list[dict[str, object]]:
    """Notices in force. ``office`` (a code) adds that office's notices to the national ones;
    ``level=emergency`` gives what a banner must show."""
    notices = Announcement.objects.active().select_related("office")
    if office:
        notices = notices.filter(office__code=office) | Announcement.objects.active().filter(
            office__isnull=True
        )
    if level:
        notices = notices.filter(level=level)
    return [
        {
            "id": n.pk,
            "level": n.level,
            "office": n.office.code if n.office else None,
            "title": str(n.title),
            "body": str(n.body),
            "starts_at": n.starts_at,
            "ends_at": n.ends_at,
        }
        for n in notices.order_by("-starts_at")
    ]


@router.get("/search", response=list[SearchHitOut])
@decorate_view(public_read)
def site_search(request: HttpRequest, q: str) -> list[dict[str, object]]:
    return [
        {"kind": h.kind, "key": h.key, "title": h.title, "url": h.url, "language": h.language}
        for h in search.search(q[:200], language=active_language())
    ]
