"""The event editor: fields, figures with history, sources, parent and related events."""

from django.urls import reverse

from events.models import CasualtyFigure, Event


def event_post(event: Event, **overrides) -> dict:
    data = {
        "title": event.title,
        "summary": event.summary,
        "internal_note": event.internal_note,
        "event_type": event.event_type_id or "",
        "sub_type": event.sub_type_id or "",
        "starts_at": "",
        "ends_at": "",
        "time_precision": event.time_precision,
        "location": event.location_id or "",
        "geo_precision": event.geo_precision,
        "occurrence_status": event.occurrence_status,
        "parent": event.parent_id or "",
        "expected_version": event.version,
    }
    data.update(overrides)
    return data


def test_reporter_creates_a_draft_event_with_only_a_title(reporter_client, reporter):
    response = reporter_client.post(
        reverse("desk:event-new"),
        event_post(Event(title="Explosions reported in Sumy"), expected_version=""),
        follow=True,
    )
    assert b"Event created." in response.content
    event = Event.objects.get(title="Explosions reported in Sumy")
    assert event.state == "draft" and event.created_by == reporter


def test_an_event_without_a_title_is_refused_and_the_text_kept(reporter_client, db):
    response = reporter_client.post(
        reverse("desk:event-new"),
        event_post(Event(summary="Summary typed first."), expected_version=""),
    )
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert b"Summary typed first." in response.content
    assert not Event.objects.exists()


def test_a_revised_figure_keeps_the_earlier_one_on_record(editor_client, newsroom):
    event = newsroom.kharkiv
    before = event.casualty_figures.filter(kind="killed").count()
    response = editor_client.post(
        reverse("desk:event-casualty-add", args=[event.pk]),
        {
            "casualty-kind": "killed",
            "casualty-minimum": "4",
            "casualty-as_of": "2025-06-11T12:00",
            "casualty-source_note": "city mayor",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Figure added; earlier figures stay on record." in page
    assert event.casualty_figures.filter(kind="killed").count() == before + 1
    # the history shows every killed figure, the new one as the latest
    assert page.count("<td>Killed</td>") == before + 1
    assert "Killed: 4" in page
    latest = {f.kind: f for f in event.latest_casualties()}
    assert latest["killed"].minimum == 4


def test_an_impossible_figure_is_refused_and_what_was_typed_stays(editor_client, newsroom):
    event = newsroom.kharkiv
    before = CasualtyFigure.objects.count()
    response = editor_client.post(
        reverse("desk:event-casualty-add", args=[event.pk]),
        {
            "casualty-kind": "injured",
            "casualty-minimum": "70",
            "casualty-maximum": "60",
            "casualty-as_of": "2025-06-11T12:00",
            "casualty-source_note": "typed by the desk",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The minimum cannot be above the maximum." in page
    assert 'value="typed by the desk"' in page and 'value="70"' in page
    assert CasualtyFigure.objects.count() == before


def test_munition_counts_and_sources_are_added(editor_client, newsroom):
    event = newsroom.wave
    editor_client.post(
        reverse("desk:event-munition-add", args=[event.pk]),
        {"munition-munition_type": "drone", "munition-launched": "320", "munition-as_of": ""},
    )
    response = editor_client.post(
        reverse("desk:event-source-add", args=[event.pk]),
        {
            "source-url": "https://example.org/air-force-statement",
            "source-publisher": "Air force",
            "source-accessed_at": "2025-06-11T09:00",
        },
        follow=True,
    )
    assert b"Source added." in response.content
    assert event.sources.filter(publisher="Air force").exists()


def test_a_bad_source_url_is_refused_clearly(editor_client, newsroom):
    response = editor_client.post(
        reverse("desk:event-source-add", args=[newsroom.wave.pk]),
        {"source-url": "not a url", "source-publisher": "Someone"},
    )
    assert b"Enter a valid URL." in response.content
    assert not newsroom.wave.sources.filter(publisher="Someone").exists()


def test_related_events_are_linked_and_unlinked(editor_client, newsroom):
    event = newsroom.talks
    editor_client.post(
        reverse("desk:event-relation-add", args=[event.pk]),
        {"relation-to_event": newsroom.spiderweb.pk, "relation-kind": "follow_up"},
    )
    relation = event.relations.get(to_event=newsroom.spiderweb)
    again = editor_client.post(
        reverse("desk:event-relation-add", args=[event.pk]),
        {"relation-to_event": newsroom.spiderweb.pk, "relation-kind": "follow_up"},
    )
    assert b"already linked" in again.content
    to_itself = editor_client.post(
        reverse("desk:event-relation-add", args=[event.pk]),
        {"relation-to_event": event.pk, "relation-kind": "related"},
    )
    assert b"Select a valid choice." in to_itself.content
    editor_client.post(reverse("desk:event-relation-delete", args=[event.pk, relation.pk]))
    assert not event.relations.exists()


def test_actors_are_added_once_per_role_and_removed(editor_client, newsroom):
    from events.models import Actor

    event = newsroom.talks
    actor = Actor.objects.create(name="Government of Türkiye", slug="gov-tr", kind="government")
    url = reverse("desk:event-actor-add", args=[event.pk])
    response = editor_client.post(url, {"actor-actor": actor.pk, "actor-role": "mediator"})
    assert response.status_code == 302
    link = event.event_actors.get(actor=actor)
    again = editor_client.post(url, {"actor-actor": actor.pk, "actor-role": "mediator"})
    assert "is already listed in that role." in again.content.decode()
    bad = editor_client.post(url, {"actor-actor": actor.pk, "actor-role": "king"})
    assert b"Select a valid choice." in bad.content
    public = editor_client.get(reverse("public:event", args=[event.slug])).content.decode()
    assert "Government of Türkiye (mediator)" in public
    editor_client.post(reverse("desk:event-actor-delete", args=[event.pk, link.pk]))
    assert not event.event_actors.filter(actor=actor).exists()


def test_a_parent_loop_is_refused(editor_client, newsroom):
    wave, kharkiv = newsroom.wave, newsroom.kharkiv
    assert kharkiv.parent == wave
    response = editor_client.post(
        reverse("desk:event-edit", args=[wave.pk]), event_post(wave, parent=kharkiv.pk)
    )
    assert b"already inside this one" in response.content
    wave.refresh_from_db()
    assert wave.parent is None


def test_stale_event_save_names_who_saved_and_keeps_the_text(
    client, editor, second_editor, newsroom
):
    event = newsroom.kharkiv
    opened = event_post(event)
    event.summary = "The night editor's summary."
    event.updated_by = second_editor
    event.save()
    client.force_login(editor)
    opened["summary"] = "My own summary, typed carefully."
    response = client.post(reverse("desk:event-edit", args=[event.pk]), opened)
    assert b"night-editor saved this event at" in response.content
    assert b"My own summary, typed carefully." in response.content
    event.refresh_from_db()
    assert event.summary == "The night editor's summary."


def test_reporter_cannot_publish_verify_or_change_a_published_event(reporter_client, newsroom):
    draft = Event.objects.create(title="Reporter's event")
    before = (draft.state, newsroom.kharkiv.verification_status)
    assert reporter_client.post(reverse("desk:event-publish", args=[draft.pk])).status_code == 403
    response = reporter_client.post(
        reverse("desk:event-verify", args=[newsroom.kharkiv.pk]),
        {"verification_status": "disputed"},
    )
    assert response.status_code == 403
    response = reporter_client.post(
        reverse("desk:event-casualty-add", args=[newsroom.kharkiv.pk]),
        {"casualty-kind": "killed", "casualty-minimum": "9"},
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    newsroom.kharkiv.refresh_from_db()
    assert (draft.state, newsroom.kharkiv.verification_status) == before


def test_reporters_refused_event_save_keeps_what_they_typed(reporter_client, newsroom):
    event = newsroom.kharkiv
    response = reporter_client.post(
        reverse("desk:event-edit", args=[event.pk]),
        event_post(event, summary="A reporter's rewrite of a published event."),
    )
    assert response.status_code == 403
    assert b"your own draft events" in response.content
    assert b"A reporter&#x27;s rewrite of a published event." in response.content
    event.refresh_from_db()
    assert event.summary != "A reporter's rewrite of a published event."


def test_editor_publishing_an_incomplete_event_sees_what_is_missing(editor_client, db):
    event = Event.objects.create(title="Blast near Kherson")
    response = editor_client.post(reverse("desk:event-publish", args=[event.pk]), follow=True)
    assert b"Missing: public summary, event type, starts at, location." in response.content
    event.refresh_from_db()
    assert event.state == "draft"


def test_editor_sets_verification_and_bad_values_are_refused(editor_client, newsroom):
    url = reverse("desk:event-verify", args=[newsroom.kharkiv.pk])
    response = editor_client.post(url, {"verification_status": "made-up"}, follow=True)
    assert b"Select a valid choice." in response.content
    editor_client.post(url, {"verification_status": "confirmed"})
    newsroom.kharkiv.refresh_from_db()
    assert newsroom.kharkiv.verification_status == "confirmed"


def test_event_page_lists_the_stories_that_cover_it(editor_client, newsroom):
    page = editor_client.get(reverse("desk:event-edit", args=[newsroom.kharkiv.pk])).content
    assert newsroom.main.headline.encode() in page


def test_search_as_you_type_returns_matching_options(reporter_client, newsroom):
    response = reporter_client.get(reverse("desk:event-options"), {"q": "odesa"})
    page = response.content.decode()
    assert page.count("<option") == 2  # the blank choice and Odesa
    assert "Odesa" in page and "Kharkiv" not in page
    response = reporter_client.get(reverse("desk:event-options"), {"q": "zzz-nothing"})
    assert "nothing matches" in response.content.decode()


def test_event_list_filters_by_state_and_searches_title_and_place(newsroom, editor_client, editor):
    Event.objects.create(title="Shelling near Kupiansk", created_by=editor)
    url = reverse("desk:event-list")
    drafts = editor_client.get(url, {"state": "draft"}).content.decode()
    assert "Shelling near Kupiansk" in drafts and "Drones hit Kyiv" not in drafts
    by_place = editor_client.get(url, {"q": "odesa"}).content.decode()
    assert "Drones hit Odesa" in by_place and "Drones hit Kyiv" not in by_place
    assert editor_client.get(url, {"state": "bogus", "q": "x" * 500}).status_code == 200
