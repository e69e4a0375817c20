"""The desk's main flows in a real browser: Chromium from the OS packages, driven by Playwright.

Each test runs against pytest-django's live server. Every page a test opens is watched: a console
error or an uncaught exception (a CSP violation shows up as one) fails the test.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.models import Briefing, Story

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser tests need Debian's chromium at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run installs it)",
    ),
    # The live server needs committed data, so these tests commit (and flush afterwards).
    pytest.mark.django_db(transaction=True),
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STORY_BODY = (
    "Russian drones struck a power plant in Poltava overnight, the regional governor said. "
    "Two workers were injured and the plant stopped working for several hours.\n\n"
    "Repair crews restored part of the supply by the morning. The governor said 14 drones "
    "were launched at the region and 11 of them were shot down by air defence.\n\n"
    "The plant supplies heat to about 40,000 homes in the city."
)


@pytest.fixture(autouse=True)
def groups_and_event_types(starting_data) -> None:
    """Every browser test starts from what the migrations wrote (see conftest)."""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A browser context whose pages fail the test on any console error or page error."""

    def __init__(self, browser, base_url: str, **options) -> None:
        self.context = browser.new_context(base_url=base_url, **options)
        self.errors: list[str] = []
        self.base_url = base_url

    def page(self):
        page = self.context.new_page()
        page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        return page

    def log_in_as(self, user: User) -> None:
        """Reuse a session made by Django's test client (the login form has its own test)."""
        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": self.base_url,
                }
            ]
        )

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


@pytest.fixture
def watch(browser, live_server):
    opened: list[Watched] = []

    def open_context(**options) -> Watched:
        context = Watched(browser, live_server.url, **options)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_reporter_writes_a_story_and_submits_it_but_cannot_publish(watch, newsroom, reporter):
    reporter.set_password("reporter-browser-pass")
    reporter.save()
    desk = watch()
    page = desk.page()
    page.goto("/desk/")
    page.get_by_label("Username").fill("reporter")
    page.get_by_label("Password").fill("reporter-browser-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Tonight at the desk")).to_be_visible()

    page.get_by_role("link", name="New story").click()
    page.get_by_label("Headline").fill("Drones hit a power plant in Poltava")
    page.get_by_label("Standfirst").fill("Two workers injured; heat cut to thousands of homes.")
    page.get_by_label("Body").fill(STORY_BODY)
    page.get_by_label("Byline").fill("By the desk's reporter")
    # search as you type narrows the event list, then the reporter picks one
    page.get_by_label("Find an event to link").fill("kharkiv")
    select = page.get_by_label("Linked event 1")
    expect(select.locator("option")).to_have_count(2)
    select.select_option(str(newsroom.kharkiv.pk))
    page.get_by_label("Event 1 is primary").check()
    page.get_by_label("Speaker:").first.fill("Regional governor")
    page.locator("#id_quotes-0-text").fill("The plant will be repaired within days.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Story created.")).to_be_visible()

    story = Story.objects.get(headline="Drones hit a power plant in Poltava")
    assert story.story_events.get().event == newsroom.kharkiv
    assert story.quotes.get().speaker == "Regional governor"
    # a reporter sees Submit, never the publishing controls
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    for control in ("#publish-story", "#schedule-story", "#unpublish-story", "#kp-approve-all"):
        assert page.locator(control).count() == 0
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()

    # a crafted POST to the publish URL, with a valid CSRF token, is refused and changes nothing
    token = next(c["value"] for c in desk.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        reverse("desk:story-publish", args=[story.pk]),
        headers={"X-CSRFToken": token, "Referer": desk.base_url + "/desk/"},
    )
    assert response.status == 403
    story.refresh_from_db()
    assert story.state == "in_review"


def test_editor_reviews_live_key_points_and_publishes(watch, newsroom, reporter, editor):
    from events.tasks import generate_key_points

    story = Story.objects.create(
        headline="Drones hit a power plant in Poltava",
        standfirst="Two workers injured; heat cut to thousands of homes.",
        body=STORY_BODY,
        byline="By the desk's reporter",
        created_by=reporter,
        updated_by=reporter,
    )
    story.submit(by=reporter)
    desk = watch()
    desk.log_in_as(editor)
    page = desk.page()
    page.goto(reverse("desk:story-edit", args=[story.pk]))
    page.get_by_label("Dateline").fill("POLTAVA")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator(".kp-status")).to_contain_text("Queued")

    # the worker's job, run here: the open panel picks the points up by itself
    story.refresh_from_db()
    generate_key_points.apply(args=(story.pk, story.key_points_hash))
    points = page.locator(".kp-item")
    expect(page.locator(".kp-status")).to_contain_text("Ready", timeout=10_000)
    expect(points.first).to_be_visible()
    count = points.count()
    assert count >= 2
    expect(page.get_by_text("Awaiting approval")).to_have_count(count)

    # edit the first point inline
    page.locator(".kp-item").first.locator("summary").click()
    page.get_by_label("Text of key point 1").fill("Drones knocked out a Poltava power plant.")
    page.get_by_role("button", name="Save point").first.click()
    expect(page.get_by_text("Key point saved")).to_be_visible()
    expect(points.first).to_contain_text("Generated, then edited")

    # reorder with the keyboard: focus the last point's Up button and press Enter
    last_text = points.last.locator(".kp-text").inner_text()
    page.get_by_role("button", name=f"Move key point {count} up").focus()
    page.keyboard.press("Enter")
    expect(points.nth(count - 2).locator(".kp-text")).to_have_text(last_text)
    # focus stays on a control in the panel, so the keyboard user does not lose their place
    # (htmx puts it back once the swapped panel settles: expect retries until then)
    expect(page.locator("#key-points :focus")).to_have_count(1)

    page.get_by_role("button", name="Approve all").click()
    expect(page.get_by_text("All points approved.")).to_be_visible()
    expect(page.locator(".badge.ok")).to_have_count(count)

    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Published.")).to_be_visible()
    story.refresh_from_db()
    assert story.state == "published"
    public = desk.page()
    public.goto(reverse("public:story", args=[story.slug]))
    expect(public.get_by_role("heading", name="Key points")).to_be_visible()
    expect(public.get_by_text("Drones knocked out a Poltava power plant.")).to_be_visible()


def test_editor_composes_a_briefing_and_readers_see_it(watch, newsroom, editor):
    desk = watch()
    desk.log_in_as(editor)
    page = desk.page()
    page.goto(reverse("desk:briefing-new"))
    page.get_by_label("Title").fill("Evening briefing, 11 June")
    page.get_by_label("Edition:", exact=True).select_option("evening")
    page.get_by_label("Edition date").fill("2025-06-11")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Briefing created.")).to_be_visible()
    briefing = Briefing.objects.get(title="Evening briefing, 11 June")

    for words, story in (("Moscow", newsroom.talks_story), ("Kharkiv", newsroom.main)):
        page.get_by_label("Headline or standfirst").fill(words)
        result = page.locator("#story-results li", has_text=story.headline)
        expect(result).to_have_count(1)
        result.get_by_role("button", name="Add").click()
        expect(page.get_by_text(f"Added “{story.headline}”.")).to_be_visible()

    # the main story goes to the top, by keyboard
    page.get_by_role("button", name=f"Move “{newsroom.main.headline}” up").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".briefing-item").first).to_contain_text(newsroom.main.headline)
    # the default blurb is the first approved key point; the editor writes another
    first_point = newsroom.main.key_points.approved().first().text
    expect(page.locator(".briefing-item").first).to_contain_text(first_point)
    item = page.locator(".briefing-item").first
    item.locator("summary").click()
    item.get_by_label("Blurb").fill("Three killed and 60 injured in Kharkiv overnight.")
    item.get_by_role("button", name="Save headline and blurb").click()
    expect(page.get_by_text("Saved the headline and blurb")).to_be_visible()

    # a story unpublished meanwhile: publishing is refused, by name
    newsroom.talks_story.unpublish(by=editor)
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Publish these stories first")).to_be_visible()
    briefing.refresh_from_db()
    assert briefing.state == "draft"
    page.get_by_role("button", name=f"Remove “{newsroom.talks_story.headline}”").click()
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text("Preview — this briefing is draft")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Briefing published.")).to_be_visible()

    # readers see it on the front page and on its own page
    reader = watch().page()
    reader.goto("/")
    expect(reader.get_by_role("link", name="Evening briefing, 11 June")).to_be_visible()
    reader.get_by_role("link", name="Evening briefing, 11 June").click()
    expect(reader.get_by_text("Three killed and 60 injured in Kharkiv overnight.")).to_be_visible()
    assert reader.get_by_text(newsroom.talks_story.headline).count() == 0
    reader.get_by_role("link", name=newsroom.main.headline).click()
    expect(reader.get_by_role("heading", name=newsroom.main.headline)).to_be_visible()
    reader.get_by_role("link", name=newsroom.kharkiv.title).click()
    expect(reader.get_by_role("heading", name="Figures over time")).to_be_visible()


def test_second_editor_sees_the_conflict_and_keeps_their_text(
    watch, newsroom, editor, second_editor
):
    url = reverse("desk:story-edit", args=[newsroom.main.pk])
    first, second = watch(), watch()
    first.log_in_as(editor)
    second.log_in_as(second_editor)
    page_one, page_two = first.page(), second.page()
    page_one.goto(url)
    page_two.goto(url)

    page_one.get_by_label("Headline").fill("Kharkiv: three killed in overnight drone strike")
    page_one.get_by_role("button", name="Save", exact=True).click()
    expect(page_one.get_by_text("Saved.")).to_be_visible()

    typed = "A new paragraph the night editor wrote while the other save happened."
    page_two.get_by_label("Body").fill(typed)
    page_two.get_by_role("button", name="Save", exact=True).click()
    expect(
        page_two.get_by_role("alert").filter(has_text="editor saved this story at")
    ).to_be_visible()
    expect(page_two.get_by_label("Body")).to_have_value(typed)

    newsroom.main.refresh_from_db()
    assert newsroom.main.headline == "Kharkiv: three killed in overnight drone strike"
    assert typed not in newsroom.main.body


def test_public_pages_are_strict_keyboard_friendly_and_fit_a_phone(watch, newsroom):
    reader = watch(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = reader.page()
    for url in [
        "/",
        reverse("public:story", args=[newsroom.main.slug]),
        reverse("public:event", args=[newsroom.kharkiv.slug]),
        reverse("public:briefing", args=[newsroom.briefing.slug]),
        reverse("public:archive"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        # nothing wider than the phone's screen
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
    # the first Tab lands on the skip link, which takes the reader to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


UNLABELLED_CONTROLS = """() => Array.from(
        document.querySelectorAll('input, select, textarea, button'))
    .filter(el => el.type !== 'hidden')
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !(el.tagName === 'BUTTON' && el.textContent.trim()))
    .map(el => el.outerHTML.slice(0, 120))"""


def test_every_desk_control_is_labelled_and_focus_is_visible(watch, newsroom, editor):
    desk = watch()
    desk.log_in_as(editor)
    page = desk.page()
    for url in [
        reverse("desk:dashboard"),
        reverse("desk:story-edit", args=[newsroom.main.pk]),
        reverse("desk:event-edit", args=[newsroom.kharkiv.pk]),
        reverse("desk:briefing-edit", args=[newsroom.briefing.pk]),
    ]:
        page.goto(url)
        assert page.evaluate(UNLABELLED_CONTROLS) == [], url
        for landmark in ("header", "nav", "main", "footer"):
            assert page.locator(landmark).count() >= 1, (url, landmark)
    # keyboard focus draws a visible outline
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
