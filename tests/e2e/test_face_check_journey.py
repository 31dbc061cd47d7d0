"""An officer on a 360 px phone checks the face of the person at the counter: Chromium's fake
camera shows the sample face (a video file of it), the officer starts the camera, takes the
picture, compares it with the previous passport's photo and sees the match, then records the
decision. Wrong input first in the same journey: nothing taken (refused with a message), a
picture with no face (said so). Then in Indonesian, with the file instead of the camera. The
pages pass axe and fit the phone; the Content-Security-Policy refuses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from gerbang.accounts.tests.factories import current_code
from gerbang.applications.tests import factories as f
from gerbang.biometrics.demo import jpeg, sample_face
from gerbang.biometrics.models import Decision, FaceCheck, Outcome, Source
from gerbang.biometrics.tests import factories as faces
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Chromium, watched
from tests.e2e.test_accessibility import audit
from tests.e2e.test_accessibility import sign_in as reuse_session
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fake_camera(path: Path) -> Path:
    """A video the fake camera plays: the sample face in a 640 x 480 frame, as MJPEG."""
    frame = Image.new("RGB", (640, 480), (200, 196, 188))
    frame.paste(sample_face().resize((300, 386)), (170, 47))
    path.write_bytes(jpeg(frame) * 20)
    return path


@pytest.fixture
def camera_context(chromium: Chromium, live_server: Any, settings: Any, tmp_path: Path) -> Iterator[Any]:
    """A browser of its own, whose camera films a face (Chromium's fake device)."""
    settings.SITE_URL = live_server.url
    video = _fake_camera(tmp_path / "face.mjpeg")
    camera = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    browser = chromium.playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *camera])
    try:
        with watched(browser) as violations:
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
            context.set_default_timeout(20_000)
            yield context
    finally:
        browser.close()
    assert violations == [], "the Content-Security-Policy refused something a page needs"


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_officer_checks_a_face_with_the_camera_and_decides(
    camera_context: Any, live_server: Any, artifacts: Path, axe_source: str, tmp_path: Path
) -> None:
    world = f.make_world()
    case = faces.renewal_with_face(world)
    base = live_server.url
    counter = f"{base}/backoffice/cases/{case.pk}/face/"

    camera_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = camera_context.new_page()
    sign_in(page, base, world.officer.email, current_code(TOTPDevice.objects.get(user=world.officer)))
    page.goto(f"{base}/backoffice/cases/{case.pk}/")
    page.get_by_role("link", name="Check the face at the counter").click()
    page.get_by_role("heading", name="Face check at the counter").wait_for()
    assert page.get_by_role("img", name="Previous passport").is_visible()

    # Nothing taken: refused, with the way out.
    page.get_by_role("button", name="Compare the faces").click()
    page.get_by_text("Take a picture with the camera, or choose a picture file.").first.wait_for()
    assert not FaceCheck.objects.exists()

    # The camera: start, take, compare.
    page.get_by_role("button", name="Start the camera").click()
    page.get_by_role("button", name="Take the picture").click()
    page.get_by_text("Picture taken. Compare it, or take it again.").wait_for()
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-face-counter-en.png"), full_page=True)
    page.get_by_role("button", name="Compare the faces").click()
    page.get_by_role("heading", name="Result of the face check").wait_for()
    assert page.locator("#face-outcome").inner_text() == "Match"
    check = FaceCheck.objects.get()
    assert (check.outcome, check.source) == (Outcome.MATCH, Source.CAMERA)
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-face-result-en.png"), full_page=True)
    assert audit(page, axe_source, page.url.split("#")[0]) == []
    page.get_by_label("Same person: identity confirmed").check()
    page.get_by_role("button", name="Record my decision").click()
    page.get_by_text("Your decision is recorded.").wait_for()
    check.refresh_from_db()
    assert (check.decision, check.decided_by_id) == (Decision.CONFIRMED, world.officer.pk)
    assert audit(page, axe_source, counter) == []

    # A picture with no face, chosen as a file.
    blank = tmp_path / "wall.jpg"
    blank.write_bytes(faces.no_face())
    page.goto(counter)
    page.get_by_label("Picture of the person at the counter").set_input_files(str(blank))
    page.get_by_role("button", name="Compare the faces").click()
    assert page.locator("#face-outcome").inner_text() == "No face found"
    assert "Take it again with the face to the camera." in page.inner_text("main")

    # Indonesian, another browser, the file instead of the camera.
    world.officer.language = "id"
    world.officer.save()
    phone = camera_context.browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    phone.add_cookies([{"name": "django_language", "value": "id", "url": base}])
    reuse_session(phone, world.officer)
    page = phone.new_page()
    page.goto(counter)
    page.get_by_role("heading", name="Periksa wajah di loket").wait_for()
    assert audit(page, axe_source, counter) == []
    picture = tmp_path / "loket.jpg"
    picture.write_bytes(faces.same_face_at_counter())
    page.get_by_label("Foto orang di loket").set_input_files(str(picture))
    page.get_by_role("button", name="Bandingkan wajah").click()
    assert page.locator("#face-outcome").inner_text() == "Cocok"
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-face-result-id.png"), full_page=True)
    assert FaceCheck.objects.filter(source=Source.FILE, outcome=Outcome.MATCH).count() == 1
