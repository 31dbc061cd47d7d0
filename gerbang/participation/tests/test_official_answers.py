"""Official answers in debates: staff of the debate's office (national staff for a national
debate) who run participation post on behalf of the unit; the answer is shown with the unit's
name and marked, comes first among the replies, is not hidden by readers' reports (they reach
the moderators), and whoever started the thread is told in their inbox."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from gerbang.core.actors import DEMO
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.notifications.models import InboxItem, OutboxMessage
from gerbang.notifications.services import messages_dispatch
from gerbang.participation import selectors, services
from gerbang.participation.models import Post, PostStatus
from gerbang.participation.tests.conftest import World
from gerbang.participation.tests.test_views import browser

pytestmark = pytest.mark.django_db

ANSWER = "The afternoon quota opens next month at this office."


class TestWhoMay:
    def test_the_office_staff_who_run_participation_answer_for_its_debates(self, world: World) -> None:
        debate = world.debate()
        published = services.post_publish_official(actor=world.supervisor, debate=debate, body=ANSWER)
        assert published.post.official and published.post.author == world.supervisor
        for outsider in (world.officer, world.other_supervisor, world.national, world.people[0]):
            assert not selectors.can_answer_officially(outsider, debate)
            with pytest.raises(PermissionDenied):
                services.post_publish_official(actor=outsider, debate=debate, body=ANSWER)
        assert Post.objects.filter(official=True).count() == 1

    def test_national_staff_answer_for_a_national_debate(self, world: World) -> None:
        debate = world.debate()
        national_debate = services.debate_create(
            actor=DEMO,
            title_id="One passport fee for everyone?",
            description_id="Should the fee for the expedited service be the same in every office?",
            office=None,
        )
        assert selectors.can_answer_officially(world.national, national_debate)
        assert not selectors.can_answer_officially(world.supervisor, national_debate)
        with pytest.raises(PermissionDenied):
            services.post_publish_official(actor=world.supervisor, debate=national_debate, body=ANSWER)
        post = services.post_publish_official(actor=world.national, debate=national_debate, body=ANSWER).post
        with translation.override("en"):
            assert post.shown_as == "Directorate General of Immigration"
        with translation.override("id"):
            assert post.shown_as == "Direktorat Jenderal Imigrasi"
        # National staff do not speak for an office.
        with pytest.raises(PermissionDenied):
            services.post_publish_official(actor=world.national, debate=debate, body=ANSWER)

    def test_the_rules_of_any_post_still_hold(self, world: World) -> None:
        debate = world.debate()
        other = world.debate(office=world.office)
        foreign = services.post_publish(actor=world.people[0], debate=other, body="A post elsewhere.").post
        with pytest.raises(ValidationError) as short:
            services.post_publish_official(actor=world.supervisor, debate=debate, body="ok")
        assert short.value.field == "body_id"
        with pytest.raises(ValidationError) as wrong_parent:
            services.post_publish_official(actor=world.supervisor, debate=debate, body=ANSWER, parent=foreign)
        assert wrong_parent.value.field == "parent"
        services.debate_close(actor=world.supervisor, debate=debate)
        with pytest.raises(Conflict):
            services.post_publish_official(actor=world.supervisor, debate=debate, body=ANSWER)


class TestTheAnswer:
    def test_shown_with_the_office_name_first_among_replies_and_recorded(self, world: World) -> None:
        debate = world.debate()
        question = services.post_publish(
            actor=world.people[0], debate=debate, body="When does the afternoon quota start?"
        ).post
        earlier = services.post_publish(
            actor=world.people[1], debate=debate, body="I would like to know too.", parent=question
        ).post
        official = services.post_publish_official(
            actor=world.supervisor, debate=debate, body=f"{ANSWER} Call 0812-3456-7890.", parent=question
        ).post
        assert official.shown_as == "Kantor Imigrasi Mesuji"
        assert "Supervisor" not in official.display_name
        assert "0812" not in official.body  # masked like any public post
        replies = selectors.threads_of(debate)[0].replies
        assert [r.post for r in replies] == [official, earlier]
        event = Event.objects.get(code="participation.official_answer")
        assert event.actor_id == world.supervisor.pk and event.office_id == world.office.pk
        assert event.details["reply_to"] == question.pk

    def test_reports_reach_the_moderators_without_hiding_it(self, world: World) -> None:
        debate = world.debate()
        official = services.post_publish_official(actor=world.supervisor, debate=debate, body=ANSWER).post
        for reader in world.people[1:5]:
            services.post_report(actor=reader, post=official, reason="abuse")
        official.refresh_from_db()
        assert official.status == PostStatus.VISIBLE
        assert not Event.objects.filter(code="participation.post_hidden").exists()
        assert list(selectors.moderation_queue(world.supervisor)) == []
        assert list(selectors.reported_official_posts(world.supervisor)) == [official]
        assert list(selectors.reported_official_posts(world.other_supervisor)) == []
        services.post_moderate(
            actor=world.supervisor, post=official, restore=True, reason="It is our answer."
        )
        assert list(selectors.reported_official_posts(world.supervisor)) == []
        services.post_report(actor=world.people[0], post=official, reason="off_topic")
        assert list(selectors.reported_official_posts(world.supervisor)) == [official]
        services.post_moderate(actor=world.supervisor, post=official, restore=False, reason="Out of date.")
        official.refresh_from_db()
        assert official.status == PostStatus.REMOVED
        assert list(selectors.reported_official_posts(world.supervisor)) == []

    def test_the_thread_starter_gets_an_inbox_message(self, world: World) -> None:
        debate = world.debate()
        started = services.post_publish(
            actor=world.people[0], debate=debate, body="When does the afternoon quota start?"
        ).post
        reply = services.post_publish(
            actor=world.people[1], debate=debate, body="I would like to know too.", parent=started
        ).post
        # A statement of the unit's own answers no thread: nobody is told.
        services.post_publish_official(actor=world.supervisor, debate=debate, body=ANSWER)
        assert not OutboxMessage.objects.exists()
        services.post_publish_official(actor=world.supervisor, debate=debate, body=ANSWER, parent=reply)
        message = OutboxMessage.objects.get()
        assert message.kind == "participation.official_answer" and message.recipient == world.people[0]
        messages_dispatch([message.pk])
        item = InboxItem.objects.get(recipient=world.people[0])
        assert "Morning or afternoon quota?" in item.subject
        assert "Kantor Imigrasi Mesuji answered the thread you started" in item.body
        assert ANSWER in item.body and "Supervisor Mesuji" not in item.body
        assert not InboxItem.objects.filter(recipient=world.people[1]).exists()


class TestPages:
    def test_the_public_page_marks_the_answer_with_the_office_name(self, world: World) -> None:
        debate = world.debate()
        started = services.post_publish(
            actor=world.people[0], debate=debate, body="When does the afternoon quota start?"
        ).post
        official = services.post_publish_official(
            actor=world.supervisor, debate=debate, body=ANSWER, parent=started
        ).post
        page = browser().get(reverse("participation:debate", args=[debate.pk])).content.decode()
        start = page.index(f'id="post-{official.pk}"')
        opening = page[page.rindex("<li", 0, start) : start]
        item = page[start : start + 400]
        assert "from-office" in opening
        assert "Official answer" in item and "Kantor Imigrasi Mesuji" in item
        assert "Supervisor Mesuji" not in page
        api = browser().get(f"/api/v1/debates/{debate.pk}").json()
        answer = next(p for p in api["posts"] if p["id"] == official.pk)
        assert answer["official"] is True and answer["author"] == "Kantor Imigrasi Mesuji"

    def test_citizens_may_report_it_but_not_support_it(self, world: World) -> None:
        debate = world.debate()
        started = services.post_publish(actor=world.people[0], debate=debate, body="When does it start?").post
        official = services.post_publish_official(
            actor=world.supervisor, debate=debate, body=ANSWER, parent=started
        ).post
        page = (
            browser(world.people[1]).get(reverse("participation:debate", args=[debate.pk])).content.decode()
        )
        start = page.index(f'id="post-{official.pk}"')
        item = page[start : page.index("</li>", start)]
        assert reverse("participation:post_report", args=[official.pk]) in item
        assert reverse("participation:post_support", args=[official.pk]) not in item
        assert "supporter" not in item
        assert reverse("participation:post_support", args=[started.pk]) in page
        with pytest.raises(Conflict):
            services.post_support(actor=world.people[1], post=official)

    def test_staff_answer_from_the_debate_page(self, world: World) -> None:
        debate = world.debate()
        started = services.post_publish(
            actor=world.people[0], debate=debate, body="When does the afternoon quota start?"
        ).post
        client = browser(world.supervisor)
        page = client.get(reverse("backoffice:participation_debate", args=[debate.pk])).content.decode()
        url = reverse("backoffice:participation_debate_official", args=[debate.pk])
        assert f"{url}?reply={started.pk}" in page
        form = client.get(f"{url}?reply={started.pk}")
        assert form.status_code == 200 and "When does the afternoon quota start?" in form.content.decode()
        empty = client.post(url, {"body_id": "", "parent": started.pk})
        assert empty.status_code == 400 and "body_id" in empty.context["form"].errors
        done = client.post(url, {"body_id": ANSWER, "parent": started.pk})
        assert done.status_code == 302
        post = Post.objects.get(official=True)
        assert post.parent == started and post.author == world.supervisor
        record = client.get(reverse("backoffice:participation_debate", args=[debate.pk])).content.decode()
        assert "(official answer)" in record

    def test_a_citizen_cannot_post_an_official_answer(self, world: World) -> None:
        debate = world.debate()
        citizen = browser(world.people[0])
        url = reverse("backoffice:participation_debate_official", args=[debate.pk])
        assert citizen.post(url, {"body_id": ANSWER}).status_code in (302, 403)
        # The public form has no such switch: a post that asks for it is an ordinary post.
        citizen.post(
            reverse("participation:debate", args=[debate.pk]), {"body": "Mine is official.", "official": "on"}
        )
        assert list(Post.objects.values_list("official", flat=True)) == [False]
        # Staff who do not run participation, or of another office, are refused too.
        assert browser(world.officer).post(url, {"body_id": ANSWER}).status_code == 403
        assert browser(world.other_supervisor).post(url, {"body_id": ANSWER}).status_code == 404
        assert not Post.objects.filter(official=True).exists()

    def test_the_moderation_page_lists_reported_official_answers(self, world: World) -> None:
        debate = world.debate()
        official = services.post_publish_official(actor=world.supervisor, debate=debate, body=ANSWER).post
        services.post_report(actor=world.people[1], post=official, reason="abuse", note="Not true")
        client = browser(world.supervisor)
        queue = client.get(reverse("backoffice:participation_moderation")).content.decode()
        assert "Official answers reported by readers" in queue and "Not true" in queue
        assert "Keep it shown" in queue
        home = client.get(reverse("backoffice:participation")).content.decode()
        assert "Moderation queue (1 post)" in home
        url = reverse("backoffice:participation_moderate", args=[official.pk])
        client.post(url, {f"p{official.pk}-decision": "restore", f"p{official.pk}-reason": "Our answer."})
        official.refresh_from_db()
        assert official.status == PostStatus.VISIBLE and official.moderation_reason == "Our answer."
        queue = client.get(reverse("backoffice:participation_moderation")).content.decode()
        assert "Official answers reported by readers" not in queue
