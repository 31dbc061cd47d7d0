"""Every page of the foundation passes an axe-core audit (WCAG 2.1 A and AA) and fits a
360-pixel-wide phone screen without sideways scrolling, in both languages."""

from __future__ import annotations

import itertools
import string
import sys
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import PASSWORD, UserFactory, sign_in_with_2fa, staff
from gerbang.applications.models import Application
from gerbang.appointments.selectors import availability
from gerbang.appointments.services import booking_confirm, booking_hold
from gerbang.catalog.models import Office
from gerbang.content.models import Announcement, Faq, Guide, RightsEntry, ScamCampaign
from gerbang.content.models import Status as ContentStatus
from gerbang.core.actors import DEMO
from gerbang.core.tests import demo_snapshot
from gerbang.feedback.models import Consultation
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.ledger.models import Leaf
from gerbang.ledger.selectors import latest_checkpoint
from gerbang.participation.models import Debate, Survey
from gerbang.participation.services import debate_create
from gerbang.payments.models import Payment
from gerbang.privacy.models import Request as PrivacyRequest
from gerbang.queueing import services as queue
from gerbang.queueing.models import Counter, Lane
from gerbang.satisfaction.models import Invitation
from gerbang.transparency.releases import releases_publish
from tests.e2e.audited import JOURNEY_AUDITS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/services/",
    "/services/paspor-hilang/",
    "/services/e-paspor/",
    "/offices/",
    "/offices/?q=lampung",
    "/offices/sijunjung/",
    "/guide/",
    "/guide/?who=citizen&age=old",
    "/guide/?who=citizen&age=adult&passport=lost&urgent=yes",
    "/account/login/",
    "/track/",
    "/account/register/",
    "/account/password/reset/",
    "/bantuan/",
    "/statistik/",
    "/statistik/?kantor=mesuji&layanan=paspor-biasa&periode=24",
    "/statistik/kamus-data/",
    "/statistik/rilis/",
    "/ledger/checkpoints/",
    "/privasi/",
    "/applications/take-over/",
    "/rights/",
    "/scam-warnings/",
    "/no-such-page/",
    "/search/?q=paspor",
    "/faq/",
    "/guides/",
    "/notices/",
    "/official-channels/",
]
APPLICANT_PAGES = [
    "/account/",
    "/account/inbox/",
    "/account/notifications/",
    "/account/profile/",
    "/account/security/",
    "/account/devices/",  # none signed in
    "/account/security/two-factor/",
    "/account/password/change/",
    "/account/data/",
    "/account/data/erase/",
]
STAFF_PAGES = [
    "/backoffice/",
    "/backoffice/staff/",
    "/backoffice/staff/new/",
    "/backoffice/offices/",
    "/backoffice/audit/",
    "/backoffice/notices/",
    "/backoffice/notices/new/",
    "/backoffice/faq/",
    "/backoffice/faq/new/",
    "/backoffice/rights/",
    "/backoffice/rights/new/",
    "/backoffice/scam-campaigns/",
    "/backoffice/scam-campaigns/new/",
    "/backoffice/offices/sijunjung/manage/",
    "/backoffice/offices/mesuji/queue/settings/",
    "/backoffice/offices/mesuji/queue/report/",
    "/backoffice/forecast/mesuji/",
    "/backoffice/services/",
    "/backoffice/guides/",
    "/backoffice/channels/",
    "/backoffice/guides/new/",
    "/backoffice/services/paspor-hilang/terms/",
    "/backoffice/payments/",
    "/backoffice/payments/reconcile/",
    "/backoffice/notifications/",
    "/backoffice/notifications/templates/payments/messages/bill_issued/",
    "/backoffice/notifications/templates/feedback/messages/consultation_answered/",
    "/backoffice/dashboards/office/?office=mesuji&period=30d",
    "/backoffice/dashboards/national/?period=30d",
    "/backoffice/appointments/missed/?office=mesuji",
    "/backoffice/training/",
    "/backoffice/tour/",
]


# Public pages of one object of the demo data, in both languages (placeholders as below).
PUBLIC_OBJECT_PAGES = [
    "/guides/{guide}/",
    "/receipts/{receipt}/",
    "/ledger/proof/{event}/",
    "/ikm/survey/{invitation}/thanks/",
    "/statistik/laporan/{period}/",
    "/account/password/reset/{uid}/{reset_token}/",
]
# The second step of signing in, reached after the password (as the national administrator).
SIGN_IN_PAGES = ["/account/login/code/"]
# Staff pages audited in one language only (Indonesian, the default, whose words run longer):
# these back-office templates have no language-dependent markup (the same elements, roles and
# names in both languages, only the translated strings differ: none of them branches on the
# language), and the crawl's time matters.
# Staff pages already audited in both languages stay in STAFF_PAGES.
STAFF_PAGES_ONE_LANGUAGE = [
    "/backoffice/assistant/questions/",
    "/backoffice/assistant/questions/faq/",
    "/backoffice/forecast/",
    "/backoffice/ledger/witnesses/",
    "/backoffice/privacy/",
    "/backoffice/privacy/register/",
    "/backoffice/privacy/{privacy_request}/",
    "/backoffice/faq/{faq}/",
    "/backoffice/guides/{guide_pk}/",
    "/backoffice/notices/{notice}/",
    "/backoffice/rights/{rights_entry}/",
    "/backoffice/scam-campaigns/{campaign}/",
    "/backoffice/participation/surveys/{survey}/edit/",
    "/backoffice/participation/surveys/{survey}/close/",
    "/backoffice/participation/surveys/{survey}/questions/{survey_question}/edit/",
    "/backoffice/participation/surveys/{survey}/questions/{survey_question}/delete/",
    "/backoffice/participation/debates/{debate}/close/",
    "/backoffice/participation/debates/{debate}/official/",
]
# The pages of the demo cases and of the on-site queue, audited after the lists above: their
# paths name objects by placeholders (`{draft}`, `{question}`...) that the crawl fills in with
# the demo data's ids (a list value gives one page per item), and that the fast coverage test
# (`tests/test_every_page_audited.py`) fills in with any number to resolve the view.
CASE_PAGES = [
    "/applications/",
    "/applications/new/paspor-biasa/",
    "/applications/{draft}/step/identity/",
    "/applications/{draft}/step/travel/",
    "/applications/{draft}/documents/",
    "/applications/{draft}/review/",
    "/applications/{waiting}/",
    "/applications/{waiting}/pay/",
    "/applications/{fixing}/",
    "/applications/{fixing}/corrections/",
    "/applications/{fixing}/documents/",
    "/consultations/",
    "/consultations/new/",
    "/consultations/new/?application={waiting}",
    "/consultations/{question}/",
    # The demo applicant is signed in to the mobile app: its card, and its consent screen.
    "/account/devices/",
    "/oauth/authorize/?response_type=code&client_id=gerbang-mobile&state=s"
    "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&scope=profile+feedback"
    "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
]
APPOINTMENT_PAGES = [
    # Choosing, confirming the held time, and the booking itself; then changing it.
    "/applications/{visiting}/appointment/",
    "/applications/{visiting}/appointment/change/",
]
OFFICER_PAGES = [
    "/backoffice/assisted/",
    "/backoffice/assisted/new/",
    "/backoffice/assisted/{assisted}/summary/",
    "/backoffice/cases/",
    "/backoffice/cases/?due=overdue&state=all",
    "/backoffice/cases/numbers/",
    "/backoffice/cases/{waiting}/",
    "/backoffice/cases/{checking}/",
    "/backoffice/cases/{fixing}/",
    "/backoffice/offices/mesuji/appointments/",
    "/backoffice/offices/mesuji/appointments/?day={day}",
    "/backoffice/consultations/",
    "/backoffice/consultations/?status=all",
    "/backoffice/consultations/{question}/",
]
QUEUE_PAGES = [
    "/backoffice/offices/mesuji/queue/",
    "/backoffice/offices/mesuji/queue/counters/1/",
    "/offices/mesuji/kiosk/",
    "/offices/mesuji/board/",
    "/queue/{waiting_ticket}/",
    "/queue/{waiting_ticket}/print/",
    "/queue/{served}/",
]


def fill(templates: list[str], **values: Any) -> list[str]:
    """The paths of `templates` with their placeholders filled in; a list value gives one path
    per item."""
    paths = []
    for template in templates:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        choices = [values[n] if isinstance(values[n], list) else [values[n]] for n in names]
        paths += [
            template.format(**dict(zip(names, combination, strict=True)))
            for combination in itertools.product(*choices)
        ]
    return paths


def audit(page: Any, axe_source: str, url: str) -> list[str]:
    undeclared = _undeclared(url, sys._getframe(1).f_globals["__name__"])
    if undeclared:
        return [undeclared]
    response = page.goto(url)
    expected = 404 if "no-such-page" in url else 400 if "age=old" in url else 200
    if response is None or response.status != expected:
        return [f"{url}: status {None if response is None else response.status}, expected {expected}"]
    if _view(url) != _view(page.url):
        # A redirect would audit another page in its stead.
        return [f"{url}: shows {page.url} ({_view(page.url)}), not the page asked for"]
    return _axe(page, axe_source, url)


def audit_shown(page: Any, axe_source: str) -> list[str]:
    """`audit()` of the page as it is shown, without loading it again: for a page shown only
    once (an anonymous report's code, what an erasure did), which a second visit would not show."""
    undeclared = _undeclared(page.url, sys._getframe(1).f_globals["__name__"])
    return [undeclared] if undeclared else _axe(page, axe_source, page.url)


def _axe(page: Any, axe_source: str, url: str) -> list[str]:
    # Evaluated by the test's driver, not added as an inline script, which the page's policy
    # (rightly) refuses.
    page.evaluate(axe_source)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    problems = [
        f"{url}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 360:
        problems.append(f"{url}: {width}px wide, wider than a 360px screen")
    return problems


def _undeclared(url: str, caller: str) -> str:
    """Why a journey may not audit `url` yet: its page is not declared in `audited.py` under the
    journey's module (the crawl's own lists are read by the coverage test directly)."""
    module = caller.rpartition(".")[2]
    if module == "test_accessibility":
        return ""
    view = _view(url)
    if not view or view in JOURNEY_AUDITS.get(module, set()):
        return ""
    return f"{url}: {view!r} is audited by {module} but not declared there in tests/e2e/audited.py"


def _view(url: str) -> str:
    """The view name of `url`'s page, or "" for an address that is no page."""
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return ""


def sign_in(browser_context: Any, user: Any) -> None:
    """Reuse a session made by Django's test client (with a verified second factor)."""
    client = Client()
    sign_in_with_2fa(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    browser_context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": settings.SITE_URL}]
    )


def _public_objects() -> dict[str, Any]:
    """The demo objects the public pages of PUBLIC_OBJECT_PAGES show."""
    person = User.objects.get(email="pemohon@gerbang.test")
    checkpoint = latest_checkpoint()
    assert checkpoint is not None, "the demo signs the ledger"
    # A quarter's statistics report: the demo's figures cover recent months only, so the
    # current quarter is released as it will be once it is over.
    quarter = Period.containing(PeriodKind.QUARTER, timezone.localdate())
    releases_publish(actor=DEMO, today=quarter.end + timedelta(days=40))
    return {
        "guide": Guide.objects.filter(status=ContentStatus.PUBLISHED).values_list("slug", flat=True).first(),
        "receipt": Payment.objects.exclude(receipt_code=None).values_list("receipt_code", flat=True).first(),
        "event": Leaf.objects.filter(seq__lt=checkpoint.size).values_list("event_id", flat=True).first(),
        "invitation": Invitation.objects.values_list("token", flat=True).first(),
        "period": quarter.slug,
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "reset_token": default_token_generator.make_token(person),
    }


def _staff_objects(admin: Any) -> dict[str, Any]:
    """The demo objects the staff pages of STAFF_PAGES_ONE_LANGUAGE show (as `admin`)."""
    draft = Survey.objects.filter(published_at=None).first() or Survey.objects.first()
    assert draft is not None, "the demo has surveys"
    # The demo's debates are offices'; a national one is the national administrator's to answer.
    debate = Debate.objects.filter(office=None, closed_at=None).first() or debate_create(
        actor=admin,
        title_id="Jam layanan akhir pekan",
        description_id="Perlukah kantor buka hari Sabtu?",
        office=None,
    )
    return {
        "privacy_request": PrivacyRequest.objects.values_list("pk", flat=True).first(),
        "faq": Faq.objects.values_list("pk", flat=True).first(),
        "guide_pk": Guide.objects.values_list("pk", flat=True).first(),
        "notice": Announcement.objects.values_list("pk", flat=True).first(),
        "rights_entry": RightsEntry.objects.values_list("pk", flat=True).first(),
        "campaign": ScamCampaign.objects.values_list("pk", flat=True).first(),
        "survey": draft.pk,
        "survey_question": draft.questions.values_list("pk", flat=True).first(),
        "debate": debate.pk,
    }


@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_pass_axe_and_fit_a_phone(
    browser_context: Any, page: Any, axe_source: str, live_server: Any, language: str
) -> None:
    demo_snapshot.load_demo()
    applicant = UserFactory.create(language=language)
    admin = staff(Role.NATIONAL_ADMIN, [], language=language)
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])

    problems = []
    for path in PUBLIC_PAGES:
        problems += audit(page, axe_source, live_server.url + path)
    for path in fill(PUBLIC_OBJECT_PAGES, **_public_objects()):
        problems += audit(page, axe_source, live_server.url + path)
    page.goto(live_server.url + "/account/login/")
    page.locator("#id_email").fill(admin.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + SIGN_IN_PAGES[0])
    for path in SIGN_IN_PAGES:
        problems += audit(page, axe_source, live_server.url + path)
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(browser_context, applicant)
    for path in APPLICANT_PAGES:
        problems += audit(page, axe_source, live_server.url + path)
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(browser_context, admin)
    for path in STAFF_PAGES:
        problems += audit(page, axe_source, live_server.url + path)
    if language == settings.LANGUAGE_CODE:
        for path in fill(STAFF_PAGES_ONE_LANGUAGE, **_staff_objects(admin)):
            problems += audit(page, axe_source, live_server.url + path)

    # The application pages, on the demo cases: as their applicant, then as a Mesuji officer.
    cases = {a.state: a.pk for a in Application.objects.filter(applicant__email="pemohon@gerbang.test")}
    User.objects.filter(email__endswith="@gerbang.test").update(language=language)
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(browser_context, User.objects.get(email="pemohon@gerbang.test"))
    ids: dict[str, Any] = {
        "draft": cases["draft"],
        "waiting": cases["awaiting_payment"],
        "fixing": cases["correction_requested"],
        "checking": cases["in_verification"],
        "visiting": cases["awaiting_appointment"],
        "question": list(
            Consultation.objects.filter(asker__email="pemohon@gerbang.test").values_list("pk", flat=True)
        ),
        "assisted": list(Application.objects.filter(assisted__isnull=False).values_list("pk", flat=True)),
    }
    for path in fill(CASE_PAGES, **ids):
        problems += audit(page, axe_source, live_server.url + path)
    # The appointment pages: choosing, confirming the held time, and the booking itself.
    visiting = Application.objects.get(pk=ids["visiting"])
    choose, change = fill(APPOINTMENT_PAGES, **ids)
    problems += audit(page, axe_source, live_server.url + choose)
    open_day = next(d for d in availability(visiting.office, visiting.service) if d.is_open)
    slot = next(v.slot for v in open_day.slots if v.bookable)
    hold = booking_hold(application=visiting, slot_id=slot.pk, actor=visiting.applicant)
    problems += audit(page, axe_source, live_server.url + choose)
    booking_confirm(booking=hold, actor=visiting.applicant)
    problems += audit(page, axe_source, live_server.url + choose)
    problems += audit(page, axe_source, live_server.url + change)
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(browser_context, User.objects.get(email="petugas.mesuji@gerbang.test"))
    for path in fill(OFFICER_PAGES, **ids, day=slot.day.isoformat()):
        problems += audit(page, axe_source, live_server.url + path)
    # The on-site queue: a visitor being served at counter 1 and one waiting.
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    mesuji = Office.objects.get(code="mesuji")
    lane = Lane.objects.get(office=mesuji, letter="A")
    served, waiting_ticket = (
        # after_hours: the pages are audited whatever the time of day the suite runs.
        queue.walk_in_issue(office=mesuji, lane=lane, actor=officer, priority_reason=reason, after_hours=True)
        for reason in ("", "elderly")
    )
    counter = queue.counter_open(counter=Counter.objects.get(office=mesuji, number=1), actor=officer)
    queue.call_next(counter=counter, actor=officer)
    for path in fill(QUEUE_PAGES, waiting_ticket=waiting_ticket.token, served=served.token):
        problems += audit(page, axe_source, live_server.url + path)
    assert not problems, "\n".join(problems)
