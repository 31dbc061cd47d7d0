"""An official answer in both languages: staff write it in Indonesian and, optionally, English
(side by side, both masked); readers in English read the English one, or the Indonesian one
marked as such; the API gives both."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from gerbang.core.exceptions import ValidationError
from gerbang.participation import services
from gerbang.participation.models import Post
from gerbang.participation.tests.conftest import World
from gerbang.participation.tests.test_views import browser

pytestmark = pytest.mark.django_db

INDONESIAN = "Kuota sore dibuka bulan depan di kantor ini."
ENGLISH = "The afternoon quota opens next month at this office."


def test_the_english_version_is_stored_masked_and_checked(world: World) -> None:
    debate = world.debate()
    published = services.post_publish_official(
        actor=world.supervisor,
        debate=debate,
        body=INDONESIAN,
        body_en=f"{ENGLISH} Call 081298765432.",
    )
    post = Post.objects.get(pk=published.post.pk)
    assert published.masked and "081298765432" not in post.body_en and ENGLISH in post.body_en
    assert post.body == INDONESIAN
    with pytest.raises(ValidationError) as short:
        services.post_publish_official(actor=world.supervisor, debate=debate, body=INDONESIAN, body_en="ok")
    assert short.value.field == "body_en"


def test_readers_see_their_language_or_the_indonesian_marked(world: World) -> None:
    debate = world.debate()
    both = services.post_publish_official(
        actor=world.supervisor, debate=debate, body=INDONESIAN, body_en=ENGLISH
    ).post
    only_id = services.post_publish_official(
        actor=world.supervisor, debate=debate, body="Jawaban hanya dalam bahasa Indonesia."
    ).post
    with translation.override("en"):
        assert both.shown_body == ENGLISH and not both.shown_body.is_fallback
        assert only_id.shown_body.is_fallback and only_id.shown_body.language == "id"
    with translation.override("id"):
        assert both.shown_body == INDONESIAN and not both.shown_body.is_fallback
    page = browser().get(reverse("participation:debate", args=[debate.pk])).content.decode()
    assert ENGLISH in page and INDONESIAN not in page
    assert '<div class="message-text" lang="id"><p>Jawaban hanya dalam bahasa Indonesia.</p></div>' in page
    client = browser()
    client.cookies["django_language"] = "id"
    indonesian_page = client.get(reverse("participation:debate", args=[debate.pk])).content.decode()
    assert INDONESIAN in indonesian_page and ENGLISH not in indonesian_page
    api = browser().get(f"/api/v1/debates/{debate.pk}").json()
    rows = {p["id"]: p for p in api["posts"]}
    assert rows[both.pk]["body"] == INDONESIAN and rows[both.pk]["body_en"] == ENGLISH
    assert rows[only_id.pk]["body_en"] == ""


def test_staff_write_both_side_by_side_and_keep_their_input(world: World) -> None:
    debate = world.debate()
    client = browser(world.supervisor)
    url = reverse("backoffice:participation_debate_official", args=[debate.pk])
    form = client.get(url).content.decode()
    assert 'class="bilingual"' in form and 'name="body_id"' in form and 'name="body_en"' in form
    refused = client.post(url, {"body_id": "", "body_en": ENGLISH})
    assert refused.status_code == 400 and "body_id" in refused.context["form"].errors
    assert ENGLISH in refused.content.decode()
    assert client.post(url, {"body_id": INDONESIAN, "body_en": ENGLISH}).status_code == 302
    post = Post.objects.get(official=True)
    assert (post.body, post.body_en) == (INDONESIAN, ENGLISH)
