"""Every participation page answers in both languages on the demo data, for a visitor, a
person and the national administrator."""

from __future__ import annotations

import pytest
from django.test import Client

from gerbang.accounts.models import User
from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.participation.models import Debate, Post, PostStatus, Proposal, Survey

pytestmark = pytest.mark.django_db


def _public() -> list[str]:
    surveys = list(Survey.objects.exclude(published_at=None))
    return [
        "/partisipasi/",
        "/partisipasi/survei/",
        *(f"/partisipasi/survei/{s.pk}/" for s in surveys),
        *(f"/partisipasi/survei/{s.pk}/hasil/" for s in surveys if s.results_visible),
        "/partisipasi/diskusi/",
        *(f"/partisipasi/diskusi/{d.pk}/" for d in Debate.objects.all()),
        "/partisipasi/usulan/",
        *(f"/partisipasi/usulan/{p.pk}/" for p in Proposal.objects.all()),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_answers(demo_data: None, language: str) -> None:
    visitor = Client()
    visitor.cookies["django_language"] = language
    for url in _public():
        assert visitor.get(url).status_code == 200, url
    person = Client()
    person.cookies["django_language"] = language
    person.force_login(User.objects.get(email="pemohon@gerbang.test"))
    open_survey = Survey.objects.get(closed_at=None, published_at__isnull=False)
    # A draft is not public.
    draft = Survey.objects.get(published_at=None)
    assert visitor.get(f"/partisipasi/survei/{draft.pk}/").status_code == 404
    post = Post.objects.filter(status=PostStatus.VISIBLE).first()
    assert post is not None
    for url in (
        *_public(),
        f"/partisipasi/survei/{open_survey.pk}/jawab/",
        f"/partisipasi/pos/{post.pk}/laporkan/",
        "/partisipasi/usulan/baru/",
    ):
        assert person.get(url).status_code == 200, url
    admin = Client()
    admin.cookies["django_language"] = language
    sign_in_with_2fa(admin, User.objects.get(email="admin.nasional@gerbang.test"))
    home = admin.get("/backoffice/participation/")
    assert home.status_code == 200
    for url in (
        "/backoffice/",
        "/backoffice/participation/moderation/",
        "/backoffice/participation/texts/",
        "/backoffice/participation/proposals/",
        "/backoffice/participation/surveys/new/",
        "/backoffice/participation/debates/new/",
        *(f"/backoffice/participation/surveys/{s.pk}/" for s in Survey.objects.all()),
        f"/backoffice/participation/surveys/{open_survey.pk}/edit/",
        *(f"/backoffice/participation/debates/{d.pk}/" for d in Debate.objects.all()),
        *(f"/backoffice/participation/proposals/{p.pk}/" for p in Proposal.objects.all()),
    ):
        assert admin.get(url).status_code == 200, url


def test_the_demo_moderation_queue_and_proposal_to_answer_are_on_the_staff_pages(demo_data: None) -> None:
    supervisor = Client()
    User.objects.filter(email="supervisor.mesuji@gerbang.test").update(
        language="en"
    )  # an account's language wins
    sign_in_with_2fa(supervisor, User.objects.get(email="supervisor.mesuji@gerbang.test"))
    queue = supervisor.get("/backoffice/participation/moderation/").content.decode()
    assert "Jasa percepatan paspor" in queue and "Spam or advertising" in queue
    assert "loket 2 kosong" in queue and "Abusive or offensive" in queue
    home = supervisor.get("/backoffice/participation/").content.decode()
    assert "Layanan paspor pada hari Sabtu" in home
    staff_home = supervisor.get("/backoffice/").content.decode()
    assert "2 reported posts wait for a decision" in staff_home and "1 proposal to answer" in staff_home
