"""The pages: rating by the invitation's link (its person, or a walk-in by the token), bad input
kept as typed, read-only after the week; the dashboard, office and service panels; the
suggestion box; the back office's moderation and suggestions, scoped to the staff's offices."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gerbang.core import formatting
from gerbang.core.models import Event
from gerbang.satisfaction import services
from gerbang.satisfaction.models import Occasion, Rating, ReviewStatus, Suggestion, SuggestionStatus
from gerbang.satisfaction.tests.conftest import Desk

pytestmark = pytest.mark.django_db


def _rate_url(invitation: Any) -> str:
    return reverse("satisfaction:rate", args=[invitation.token])


class TestRatingPage:
    def test_the_person_rates_with_a_review_and_a_suggestion(self, desk: Desk, client: Client) -> None:
        invitation = desk.invitation()
        client.force_login(desk.person)
        page = client.get(_rate_url(invitation)).content.decode()
        assert "<legend>How was the service?</legend>" in page
        assert 'type="radio" name="stars" value="5"' in page
        answer = client.post(
            _rate_url(invitation),
            {"stars": "4", "review": "Quick and friendly.", "suggestion": "More chairs in the waiting room."},
        )
        assert answer.status_code == 302
        assert answer["Location"] == reverse("satisfaction:thanks", args=[invitation.token])
        rating = Rating.objects.get()
        assert (rating.stars, rating.review, rating.review_status) == (4, "Quick and friendly.", "pending")
        assert Suggestion.objects.get().text == "More chairs in the waiting room."
        thanks = client.get(answer["Location"]).content.decode()
        assert "Thank you for your rating" in thanks
        assert "4 stars out of 5" in thanks
        assert "waiting for a moderator" in thanks
        # Changing it: the form holds the rating given, the suggestion is not asked again.
        again = client.get(_rate_url(invitation)).content.decode()
        assert "You rated this service already" in again
        assert '<input type="radio" name="stars" value="4" required id="id_stars_1" checked>' in again
        assert 'name="suggestion"' not in again

    def test_bad_input_keeps_what_was_typed(self, desk: Desk, client: Client) -> None:
        invitation = desk.invitation()
        client.force_login(desk.person)
        answer = client.post(
            _rate_url(invitation), {"review": "The officer was kind.", "suggestion": "Short"}
        )
        assert answer.status_code == 400
        page = answer.content.decode()
        assert "Choose a rating from 1 to 5 stars." in page
        assert "The officer was kind." in page
        assert not Rating.objects.exists()
        answer = client.post(
            _rate_url(invitation), {"stars": "5", "review": "The officer was kind.", "suggestion": "Short"}
        )
        assert answer.status_code == 400
        page = answer.content.decode()
        assert "Write your suggestion in at least 10 characters." in page
        assert "The officer was kind." in page and "Short</textarea>" in page

    def test_only_the_invitations_person(self, desk: Desk, client: Client) -> None:
        invitation = desk.invitation()
        answer = client.get(_rate_url(invitation))
        assert answer.status_code == 302 and answer["Location"].startswith(reverse("accounts:login"))
        client.force_login(desk.other_person)
        assert client.get(_rate_url(invitation)).status_code == 404
        assert client.post(_rate_url(invitation), {"stars": "1"}).status_code == 404
        assert client.get(reverse("satisfaction:rate", args=["no-such-token"])).status_code == 404
        assert not Rating.objects.exists()

    def test_a_walk_in_rates_by_the_token_alone(self, desk: Desk, client: Client) -> None:
        invitation = desk.invitation(person=None, occasion=Occasion.VISIT, service=None)
        page = client.get(_rate_url(invitation))
        assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
        assert client.post(_rate_url(invitation), {"stars": "5"}).status_code == 302
        assert Rating.objects.get().stars == 5

    def test_read_only_after_the_week(self, desk: Desk, client: Client) -> None:
        invitation = desk.invitation()
        services.rating_give(invitation=invitation, stars=3, review="Fine.", actor=desk.person)
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            client.force_login(desk.person)
            page = client.get(_rate_url(invitation)).content.decode()
            assert "can no longer be changed" in page
            assert 'name="stars"' not in page
            assert "3 stars out of 5" in page
            answer = client.post(_rate_url(invitation), {"stars": "1"})
            assert answer.status_code == 302
            assert "can no longer be changed" in client.get(answer["Location"]).content.decode()
        assert Rating.objects.get().stars == 3

    def test_the_rating_page_shows_its_panel_slot(self, desk: Desk, client: Client, monkeypatch: Any) -> None:
        from gerbang.core import panels

        seen: list[Any] = []

        def offer(request: Any, *, invitation: Any) -> None:
            seen.append(invitation)

        monkeypatch.setitem(
            panels._PANELS, panels.RATING_PAGE, [panels.Panel(panels.RATING_PAGE, "x.html", offer)]
        )
        invitation = desk.invitation()
        client.force_login(desk.person)
        client.get(_rate_url(invitation))
        services.rating_give(invitation=invitation, stars=3, actor=desk.person)
        client.get(reverse("satisfaction:thanks", args=[invitation.token]))
        assert seen == [invitation, invitation]


class TestPanels:
    def test_the_dashboard_lists_invitations_to_rate(self, desk: Desk, client: Client) -> None:
        client.force_login(desk.person)
        assert (
            "Rate the service: stars and a short review"
            not in client.get(reverse("accounts:dashboard")).content.decode()
        )
        invitation = desk.invitation()
        page = client.get(reverse("accounts:dashboard")).content.decode()
        assert "Rate the service: stars and a short review" in page and _rate_url(invitation) in page
        services.rating_give(invitation=invitation, stars=5, actor=desk.person)
        assert (
            "Rate the service: stars and a short review"
            not in client.get(reverse("accounts:dashboard")).content.decode()
        )

    def test_office_and_service_pages_show_the_average_and_published_reviews(
        self, desk: Desk, client: Client, rated: Any
    ) -> None:
        office_url = reverse("catalog:office_detail", args=[desk.office.code])
        service_url = reverse("catalog:service_detail", args=["paspor-biasa"])
        client.cookies["django_language"] = "en"
        assert "No ratings yet" in client.get(office_url).content.decode()
        waiting = rated("Clean and quick, thank you.", stars=5)
        rated("", stars=2)
        page = client.get(office_url).content.decode()
        assert "3.5 out of 5" in page and "(2 ratings by people served)" in page
        assert "Clean and quick" not in page  # not yet moderated
        published = services.rating_approve(rating=waiting, actor=desk.admin)
        services.rating_reply(rating=published, body="Thank you for coming.", actor=desk.supervisor)
        for url in (office_url, service_url):
            page = client.get(url).content.decode()
            assert "Clean and quick, thank you." in page
            assert "The office replied:" in page and "Thank you for coming." in page
            assert "3.5 out of 5" in page
        other = client.get(reverse("catalog:office_detail", args=[desk.other_office.code])).content.decode()
        assert "No ratings yet" in other

    def test_the_average_is_written_as_the_reader_writes_numbers(
        self, desk: Desk, client: Client, rated: Any
    ) -> None:
        rated("", stars=5)
        rated("", stars=2)
        office_url = reverse("catalog:office_detail", args=[desk.office.code])
        client.cookies["django_language"] = "id"
        page = client.get(office_url).content.decode()
        average = page[page.index('id="rating-average"') :].split("</p>", 1)[0]
        assert "<strong>3,5 " in average and "3.5" not in average
        # The count is its own text, starting with the number, in parentheses after the average.
        assert '<span class="muted">(2 ' in average
        client.cookies["django_language"] = "en"
        assert "<strong>3.5 out of 5</strong>" in client.get(office_url).content.decode()


class TestSuggestionBox:
    def test_signed_in_people_suggest_everyone_sees_what_changed(self, desk: Desk, client: Client) -> None:
        url = reverse("satisfaction:suggestions")
        page = client.get(url).content.decode()
        assert "Sign in to make a suggestion" in page
        assert client.post(url, {"suggestion": "Open on Saturdays please."}).status_code == 302
        assert not Suggestion.objects.exists()
        client.force_login(desk.person)
        client.cookies["django_language"] = "en"
        form = client.get(url).content.decode()
        # A suggestion's own words, not a complaint's ("which office is being reported?").
        assert "Which office is your suggestion about? <span" in form
        short = client.post(url, {"suggestion": "Open", "office": desk.office.code})
        assert short.status_code == 400
        assert "at least 10 characters" in short.content.decode()
        assert f'value="{desk.office.code}" selected' in short.content.decode()
        assert (
            client.post(
                url, {"suggestion": "Open on Saturdays please.", "office": desk.office.code}
            ).status_code
            == 302
        )
        made = Suggestion.objects.get()
        assert (made.office, made.author) == (desk.office, desk.person)
        services.suggestion_decide(
            suggestion=made, status="done", note="Open on Saturdays from January.", actor=desk.admin
        )
        assert "Open on Saturdays from January." in Client().get(url).content.decode()


class TestBackoffice:
    def test_the_queue_is_scoped_to_the_moderators_offices(
        self, desk: Desk, staff_client: Any, rated: Any
    ) -> None:
        here = rated("Here it was fine.")
        there = rated("There it was slow.", office=desk.other_office)
        mine = staff_client(desk.admin).get(reverse("backoffice:ratings")).content.decode()
        assert reverse("backoffice:rating", args=[here.pk]) in mine
        assert reverse("backoffice:rating", args=[there.pk]) not in mine
        every = staff_client(desk.national).get(reverse("backoffice:ratings")).content.decode()
        assert reverse("backoffice:rating", args=[there.pk]) in every
        admin = staff_client(desk.admin)
        assert admin.get(reverse("backoffice:rating", args=[there.pk])).status_code == 404
        assert staff_client(desk.officer).get(reverse("backoffice:ratings")).status_code == 403

    def test_the_queue_shows_an_excerpt_of_each_review_and_logs_the_read(
        self, desk: Desk, staff_client: Any, rated: Any
    ) -> None:
        rating = rated("The counter staff explained every step. " * 6)
        page = staff_client(desk.admin).get(reverse("backoffice:ratings")).content.decode()
        assert "The counter staff explained every step." in page
        assert "The counter staff explained every step. " * 6 not in page  # an excerpt, not all of it
        assert Event.objects.filter(code="rating.viewed", subject_id=str(rating.pk)).count() == 1

    def test_written_and_published_days_are_named_both_sides(
        self, desk: Desk, staff_client: Any, client: Client, rated: Any
    ) -> None:
        with time_machine.travel(timezone.now() - timedelta(days=1)):
            rating = rated("Friendly staff and a short wait.")
        services.rating_approve(rating=rating, actor=desk.admin)
        rating.refresh_from_db()
        written, published = rating.changed_at.date(), rating.published_at.date()
        assert written != published
        client.cookies["django_language"] = "en"
        public = client.get(reverse("catalog:office_detail", args=[desk.office.code])).content.decode()
        with translation.override("en"):
            assert f"published {formatting.day(rating.published_at)}" in public
        desk.admin.language = "en"
        desk.admin.save(update_fields=["language"])
        page = staff_client(desk.admin).get(reverse("backoffice:rating", args=[rating.pk])).content.decode()
        with translation.override("en"):
            assert f'<dd id="written-on">{formatting.day(rating.changed_at)}</dd>' in page
            assert f'<dd id="published-on">{formatting.day(rating.published_at)} ' in page

    def test_the_menu_entry(self, desk: Desk, staff_client: Any) -> None:
        page = staff_client(desk.admin).get(reverse("backoffice:dashboard")).content.decode()
        assert f'href="{reverse("backoffice:ratings")}"' in page
        page = staff_client(desk.officer).get(reverse("backoffice:dashboard")).content.decode()
        assert f'href="{reverse("backoffice:ratings")}"' not in page

    def test_the_staff_home_counts_reviews_waiting(self, desk: Desk, staff_client: Any, rated: Any) -> None:
        rated()
        rated(office=desk.other_office)
        page = staff_client(desk.admin).get(reverse("backoffice:dashboard")).content.decode()
        assert "1 review waiting for moderation" in page
        page = staff_client(desk.supervisor).get(reverse("backoffice:dashboard")).content.decode()
        assert "waiting for moderation" not in page

    def test_moderating_a_flagged_review(self, desk: Desk, staff_client: Any, rated: Any) -> None:
        rating = rated("Call me on 0812 3456 7890, thanks.")
        admin = staff_client(desk.admin)
        url = reverse("backoffice:rating", args=[rating.pk])
        page = admin.get(url).content.decode()
        assert "A phone number" in page and "masked in what is published" in page
        assert Event.objects.filter(code="rating.viewed", actor_id=desk.admin.pk).count() == 1
        refused = admin.post(url, {"action": "reject"})
        assert (
            refused.status_code == 400
            and "Choose why the review is not published." in refused.content.decode()
        )
        assert admin.post(url, {"action": "approve"}).status_code == 302
        rating.refresh_from_db()
        assert rating.review_status == ReviewStatus.PUBLISHED
        assert rating.published_review == "Call me on [•••], thanks."

    def test_the_list_opens_on_the_reviews_waiting_for_whoever_may_moderate_them(
        self, desk: Desk, staff_client: Any, rated: Any
    ) -> None:
        """Trial 19b, finding 3: a moderator with reviews waiting lands on them, counted."""
        waiting = rated("Waiting for a moderator.")
        page = staff_client(desk.admin).get(reverse("backoffice:ratings")).content.decode()
        assert '<strong aria-current="page">Waiting for moderation (1)</strong>' in page
        assert reverse("backoffice:rating", args=[waiting.pk]) in page
        # Nothing waiting in the other admin's office: the published reviews.
        page = staff_client(desk.other_admin).get(reverse("backoffice:ratings")).content.decode()
        assert '<strong aria-current="page">Published</strong>' in page
        # A supervisor cannot moderate: published first, and told who moderates.
        page = staff_client(desk.supervisor).get(reverse("backoffice:ratings")).content.decode()
        assert '<strong aria-current="page">Published</strong>' in page
        assert 'id="who-moderates"' in page and "the office's administrator" in page
        assert reverse("backoffice:rating_suggestions") not in page

    def test_a_supervisor_is_told_who_moderates_and_refused_the_suggestion_box_plainly(
        self, desk: Desk, staff_client: Any, rated: Any
    ) -> None:
        """Trial 19b, finding 2."""
        rating = rated("Call me on 0812 3456 7890, thanks.")
        supervisor = staff_client(desk.supervisor)
        page = supervisor.get(reverse("backoffice:rating", args=[rating.pk])).content.decode()
        assert "Reviews are approved or rejected by the office's administrator." in page
        assert "If the review is approved, these parts are masked" in page
        assert "If you approve" not in page and 'value="approve"' not in page
        refused = supervisor.get(reverse("backoffice:rating_suggestions"))
        assert refused.status_code == 403
        assert "core/error.html" in [t.name for t in refused.templates]
        assert "handled by the office&#x27;s administrator" in refused.content.decode()
        for url in (reverse("backoffice:dashboard"), reverse("backoffice:ratings")):
            assert reverse("backoffice:rating_suggestions") not in supervisor.get(url).content.decode()

    def test_after_approval_the_pages_say_what_was_masked(
        self, desk: Desk, staff_client: Any, client: Client, rated: Any
    ) -> None:
        """Trial 19b, finding 11: past tense for staff; the author sees the published text."""
        rating = rated("Call me on 0812 3456 7890, thanks.")
        services.rating_approve(rating=rating, actor=desk.admin)
        page = staff_client(desk.admin).get(reverse("backoffice:rating", args=[rating.pk])).content.decode()
        assert "Published with these parts masked: A phone number." in page
        assert "If you approve" not in page
        client.force_login(desk.person)
        thanks = client.get(reverse("satisfaction:thanks", args=[rating.invitation.token])).content.decode()
        assert 'id="review-masked"' in thanks and "Call me on [•••], thanks." in thanks

    def test_reply_keeps_what_was_typed_on_error(self, desk: Desk, staff_client: Any, rated: Any) -> None:
        rating = services.rating_approve(rating=rated(), actor=desk.admin)
        supervisor = staff_client(desk.supervisor)
        url = reverse("backoffice:rating", args=[rating.pk])
        assert "Reply publicly" in supervisor.get(url).content.decode()
        short = supervisor.post(url, {"action": "reply", "reply": "Thanks"})
        assert short.status_code == 400
        assert (
            "at least 10 characters" in short.content.decode()
            and "Thanks</textarea>" in short.content.decode()
        )
        assert (
            supervisor.post(url, {"action": "reply", "reply": "Thank you for your words."}).status_code == 302
        )
        page = supervisor.get(url).content.decode()
        assert "Reply publicly" not in page and "Thank you for your words." in page

    def test_suggestions_grouped_and_decided(self, desk: Desk, staff_client: Any) -> None:
        texts = [
            "The morning queue is too long at the counter.",
            "Queue too long in the morning, open another counter.",
            "Parking for motorbikes is too small.",
        ]
        made = [
            services.suggestion_submit(text=text, office=desk.office, service=None, actor=desk.person)
            for text in texts
        ]
        desk.admin.language = "en"
        desk.admin.save(update_fields=["language"])
        admin = staff_client(desk.admin)
        page = admin.get(reverse("backoffice:rating_suggestions")).content.decode()
        assert "2 suggestions: " in page and "1 suggestion: " in page
        assert page.index(texts[0]) < page.index(texts[2]) and page.index(texts[1]) < page.index(texts[2])
        assert Event.objects.filter(code="suggestion.viewed").count() == 3
        url = reverse("backoffice:rating_suggestion_decide", args=[made[2].pk])
        # The note's label, help and error all say it is needed for "Done" (never "optional").
        note_label = page[page.index(f'for="id_s{made[2].pk}-note"') :].split("</label>", 1)[0]
        assert "(required when the status is Done)" in note_label and "optional" not in note_label
        assert "When a suggestion is done, say in at least 10 characters what changed" in page
        refused = admin.post(url, {f"s{made[2].pk}-status": "done", f"s{made[2].pk}-note": "Soon"})
        assert refused.status_code == 400 and "Soon</textarea>" in refused.content.decode()
        assert "A suggestion marked Done needs what was changed" in refused.content.decode()
        # Another status needs no note.
        assert admin.post(url, {f"s{made[2].pk}-status": "considering"}).status_code == 302
        done = admin.post(
            url, {f"s{made[2].pk}-status": "done", f"s{made[2].pk}-note": "The side yard is now parking."}
        )
        assert done.status_code == 302
        made[2].refresh_from_db()
        assert made[2].status == SuggestionStatus.DONE
        other = staff_client(desk.other_admin)
        assert other.post(url, {f"s{made[2].pk}-status": "declined"}).status_code == 404
        assert staff_client(desk.supervisor).get(reverse("backoffice:rating_suggestions")).status_code == 403

    def test_a_refused_decision_is_summarised_at_the_top_and_opens_at_its_form(
        self, desk: Desk, staff_client: Any
    ) -> None:
        """Trial 20, finding 1: "Done" without a note far down the list; on a phone the error was
        out of sight. It is summarised at the top, linking to the note, and the page opens at
        the form (its address ends in the suggestion's anchor), with what was typed."""
        made = [
            services.suggestion_submit(
                text=f"Suggestion number {n} about parking.",
                office=desk.office,
                service=None,
                actor=desk.person,
            )
            for n in range(3)
        ]
        target = made[0]
        admin = staff_client(desk.admin)
        page = admin.get(reverse("backoffice:rating_suggestions") + "?status=all").content.decode()
        decide = reverse("backoffice:rating_suggestion_decide", args=[target.pk])
        assert f'action="{decide}?status=all#suggestion-{target.pk}"' in page
        assert 'id="error-summary"' not in page
        refused = admin.post(
            f"{decide}?status=all", {f"s{target.pk}-status": "done", f"s{target.pk}-note": "Soon"}
        )
        body = refused.content.decode()
        assert refused.status_code == 400 and "Soon</textarea>" in body
        summary = body[
            body.index('id="error-summary"') : body.index("</div>", body.index('id="error-summary"'))
        ]
        assert f'href="#id_s{target.pk}-note"' in summary
        # The summary comes before the list; the field it links to exists.
        assert body.index('id="error-summary"') < body.index(f'id="suggestion-{made[-1].pk}"')
        assert f'id="id_s{target.pk}-note"' in body
        # The list it came from ("all") is the one shown again.
        assert 'aria-current="page">' in body and f"?status=all#suggestion-{target.pk}" in body
        saved = admin.post(
            f"{decide}?status=all",
            {f"s{target.pk}-status": "done", f"s{target.pk}-note": "The side yard is now parking."},
        )
        assert saved.status_code == 302
        assert saved["Location"].endswith(f"?status=all#suggestion-{target.pk}")

    def test_a_refused_moderation_is_summarised_at_the_top_and_opens_at_its_form(
        self, desk: Desk, staff_client: Any, rated: Any
    ) -> None:
        """Trial 20, finding 1 on the review page: each form posts to its own anchor, a refusal is
        summarised at the top, linking to the field; done, the page opens at its top."""
        rating = rated("The counter was slow today.")
        admin = staff_client(desk.admin)
        url = reverse("backoffice:rating", args=[rating.pk])
        page = admin.get(url).content.decode()
        assert 'action="#reject"' in page and 'action="#approve"' in page
        refused = admin.post(url, {"action": "reject"})
        body = refused.content.decode()
        assert refused.status_code == 400
        summary = body[
            body.index('id="error-summary"') : body.index("</div>", body.index('id="error-summary"'))
        ]
        assert 'href="#id_reason"' in summary and 'id="id_reason"' in body
        assert body.index('id="error-summary"') < body.index('id="review-text"')
        done = admin.post(url, {"action": "approve"})
        assert done.status_code == 302 and done["Location"].endswith("#top")
        supervisor = staff_client(desk.supervisor)
        short = supervisor.post(url, {"action": "reply", "reply": "Thanks"})
        body = short.content.decode()
        assert short.status_code == 400 and "Thanks</textarea>" in body
        assert 'href="#id_reply"' in body[body.index('id="error-summary"') :]

    def test_suggestions_with_personal_data_are_flagged_and_masked_for_staff(
        self, desk: Desk, staff_client: Any
    ) -> None:
        """Trial 20, finding 2: an email address in a suggestion was shown raw, unflagged."""
        flagged = services.suggestion_submit(
            text="Sediakan contoh formulir; kirim ke budi.santoso@contoh.co.id atau 0812 3456 7890.",
            office=desk.office,
            service=None,
            actor=desk.person,
        )
        plain = services.suggestion_submit(
            text="Tambah kursi di ruang tunggu.", office=desk.office, service=None, actor=desk.person
        )
        desk.admin.language = "en"
        desk.admin.save(update_fields=["language"])
        page = staff_client(desk.admin).get(reverse("backoffice:rating_suggestions")).content.decode()
        flags = page[page.index(f'id="flags-{flagged.pk}"') :].split("</div>", 1)[0]
        assert "An email address" in flags and "A phone number" in flags
        shown = page[page.index(f'id="text-{flagged.pk}"') :].split("</p>", 1)[0]
        assert "Sediakan contoh formulir; kirim ke [•••] atau [•••]." in shown
        assert "budi.santoso" not in shown
        # As written, only on request.
        assert "<details><summary>" in page
        assert f'id="flags-{plain.pk}"' not in page
        headings = re.findall(r'<h2 id="group-\d+"[^>]*>(.*?)</h2>', page)
        assert len(headings) == 2 and not any("budi" in h or "contoh.co" in h for h in headings)

    def test_the_moderator_sees_what_will_be_published_before_approving(
        self, desk: Desk, staff_client: Any, rated: Any
    ) -> None:
        """Trial 20, finding 3: told a phone number "will be masked", the moderator saw the masked
        text only after approving. The preview is exactly what approval publishes."""
        rating = rated("Call me on 0812 3456 7890, thanks.")
        admin = staff_client(desk.admin)
        url = reverse("backoffice:rating", args=[rating.pk])
        page = admin.get(url).content.decode()
        preview = page[page.index('id="preview-text"') :].split("</blockquote>", 1)[0]
        assert "Call me on [•••], thanks." in preview and "0812" not in preview
        assert page.index('id="review-text"') < page.index('id="preview-text"')
        assert admin.post(url, {"action": "approve"}).status_code == 302
        rating.refresh_from_db()
        assert rating.published_review in preview
        # Published: the published text, no preview.
        assert 'id="preview-text"' not in admin.get(url).content.decode()
        # Nothing to mask: nothing to preview.
        plain = rated("The counter was quick.", office=desk.office)
        page = admin.get(reverse("backoffice:rating", args=[plain.pk])).content.decode()
        assert 'id="review-text"' in page and 'id="preview-text"' not in page
