"""Story bodies: Markdown in, HTML out that is safe to show on any page or in any feed."""

from events.rendering import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("Drones hit **Kharkiv**.\n\n- three killed\n- 60 injured\n\n> A quote")
    assert "<strong>Kharkiv</strong>" in html
    assert "<li>three killed</li>" in html
    assert "<blockquote>" in html


def test_scripts_handlers_and_dangerous_links_are_removed():
    html = render_markdown(
        "<script>alert(1)</script><img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) <a href='https://example.org' onclick='x()'>ok</a> "
        "[fine](https://example.org) <iframe src='https://evil.example'></iframe>"
        "<style>body{}</style>"
    )
    for bad in ("<script", "alert(1)", "onerror", "javascript:", "onclick", "<iframe", "<style"):
        assert bad not in html
    # Raw HTML is dropped (its text stays); Markdown links to the web are kept.
    assert "ok" in html and 'href="https://example.org"' in html


def test_links_do_not_pass_reputation_or_the_opener():
    html = render_markdown("[source](https://example.org/report)")
    assert 'rel="nofollow noopener"' in html


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""


def test_record_urls_are_what_reverse_gives_for_any_slug(settings):
    from django.urls import reverse

    from events.publication.urls import api_url, web_url

    for slug in ["plain-slug_1", "0slug0", "a-0slug0-b", "Upper_Case-9", "x" * 300]:
        api = reverse("api:story-detail", kwargs={"slug": slug})
        page = reverse("public:story", kwargs={"slug": slug})
        assert api_url("story", slug) == settings.NEWSROOM_SITE_URL + api, slug
        assert web_url("story", slug) == settings.NEWSROOM_SITE_URL + page, slug
