"""Every page of the foundation passes an axe-core audit (WCAG 2.1 A and AA) and fits a
360-pixel-wide phone screen without sideways scrolling, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import UserFactory, sign_in_with_2fa, staff
from gerbang.applications.models import Application
from gerbang.appointments.selectors import availability
from gerbang.appointments.services import booking_confirm, booking_hold
from gerbang.catalog.models import Office
from gerbang.core.tests import demo_snapshot
from gerbang.feedback.models import Consultation
from gerbang.queueing import services as queue
from gerbang.queueing.models import Counter, Lane

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
    "/rights/",
    "/scam-warnings/",
    "/no-such-page/",
]
APPLICANT_PAGES = [
    "/account/",
    "/account/inbox/",
    "/account/notifications/",
    "/account/profile/",
    "/account/security/",
    "/account/security/two-factor/",
    "/account/password/change/",
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
]


def audit(page: Any, axe_source: str, url: str) -> list[str]:
    response = page.goto(url)
    expected = 404 if "no-such-page" in url else 400 if "age=old" in url else 200
    if response is None or response.status != expected:
        return [f"{url}: status {None if response is None else response.status}, expected {expected}"]
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


def sign_in(browser_context: Any, user: Any) -> None:
    """Reuse a session made by Django's test client (with a verified second factor)."""
    client = Client()
    sign_in_with_2fa(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    browser_context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": settings.SITE_URL}]
    )


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
    sign_in(browser_context, applicant)
    for path in APPLICANT_PAGES:
        problems += audit(page, axe_source, live_server.url + path)
    browser_context.clear_cookies()
    sign_in(browser_context, admin)
    for path in STAFF_PAGES:
        problems += audit(page, axe_source, live_server.url + path)

    # The application pages, on the demo cases: as their applicant, then as a Mesuji officer.
    cases = {a.state: a.pk for a in Application.objects.filter(applicant__email="pemohon@gerbang.test")}
    User.objects.filter(email__endswith="@gerbang.test").update(language=language)
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(browser_context, User.objects.get(email="pemohon@gerbang.test"))
    draft, waiting, fixing = cases["draft"], cases["awaiting_payment"], cases["correction_requested"]
    questions = list(
        Consultation.objects.filter(asker__email="pemohon@gerbang.test").values_list("pk", flat=True)
    )
    for path in [
        "/applications/",
        "/applications/new/paspor-biasa/",
        f"/applications/{draft}/step/identity/",
        f"/applications/{draft}/step/travel/",
        f"/applications/{draft}/documents/",
        f"/applications/{draft}/review/",
        f"/applications/{waiting}/",
        f"/applications/{waiting}/pay/",
        f"/applications/{fixing}/",
        f"/applications/{fixing}/corrections/",
        f"/applications/{fixing}/documents/",
        "/consultations/",
        "/consultations/new/",
        f"/consultations/new/?application={waiting}",
        *(f"/consultations/{pk}/" for pk in questions),
    ]:
        problems += audit(page, axe_source, live_server.url + path)
    # The appointment pages: choosing, confirming the held time, and the booking itself.
    visiting = Application.objects.get(pk=cases["awaiting_appointment"])
    problems += audit(page, axe_source, f"{live_server.url}/applications/{visiting.pk}/appointment/")
    open_day = next(d for d in availability(visiting.office, visiting.service) if d.is_open)
    slot = next(v.slot for v in open_day.slots if v.bookable)
    hold = booking_hold(application=visiting, slot_id=slot.pk, actor=visiting.applicant)
    problems += audit(page, axe_source, f"{live_server.url}/applications/{visiting.pk}/appointment/")
    booking_confirm(booking=hold, actor=visiting.applicant)
    problems += audit(page, axe_source, f"{live_server.url}/applications/{visiting.pk}/appointment/")
    problems += audit(page, axe_source, f"{live_server.url}/applications/{visiting.pk}/appointment/change/")
    browser_context.clear_cookies()
    browser_context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(browser_context, User.objects.get(email="petugas.mesuji@gerbang.test"))
    checking = cases["in_verification"]
    for path in [
        "/backoffice/cases/",
        "/backoffice/cases/?due=overdue&state=all",
        "/backoffice/cases/numbers/",
        f"/backoffice/cases/{waiting}/",
        f"/backoffice/cases/{checking}/",
        f"/backoffice/cases/{fixing}/",
        "/backoffice/offices/mesuji/appointments/",
        f"/backoffice/offices/mesuji/appointments/?day={slot.day.isoformat()}",
        "/backoffice/consultations/",
        "/backoffice/consultations/?status=all",
        *(f"/backoffice/consultations/{pk}/" for pk in questions),
    ]:
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
    for path in [
        "/backoffice/offices/mesuji/queue/",
        "/backoffice/offices/mesuji/queue/counters/1/",
        "/offices/mesuji/kiosk/",
        "/offices/mesuji/board/",
        f"/queue/{waiting_ticket.token}/",
        f"/queue/{waiting_ticket.token}/print/",
        f"/queue/{served.token}/",
    ]:
        problems += audit(page, axe_source, live_server.url + path)
    assert not problems, "\n".join(problems)
