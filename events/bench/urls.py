"""The bench's urlconf: the real site plus baselines, the practical limit for each response.

Each baseline is a bare Django view that sends PostgreSQL one statement building the page's
JSON (``json_build_object``/``json_agg``) and returns the text it gets back: no ORM objects,
no serializer, no throttle, no validators. The API's figures are reported as ratios to them.

Two sets, for the two designs the API has had:

- ``/bench/tables/...`` builds the same fields from the working tables (stories with their
  tags, approved key points, public linked events, quotes and corrections; events with their
  latest figures, actors, parent and relations), for an API that reads those tables.
- ``/bench/documents/...`` reads the stored public documents (``events_publicdocument``): a
  list is the page's ``item`` texts aggregated in one statement, a detail is one ``body``; the
  filters select ids on the working tables' indexed columns, as the API's do.

PostgreSQL only (the bench refuses to run elsewhere).
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

PAGE = 20


def answer(sql: str, params: dict | list) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return HttpResponse('{"detail": "Not found."}', status=404, content_type="application/json")
    return HttpResponse(row[0], content_type="application/json")


def api_root(request) -> str:
    return request.build_absolute_uri("/api/v1/")


# --- story filters, shared by both sets: conditions on a story id (``{id}``) ------------------


def story_conditions(request, story_id: str, published_at: str) -> tuple[list[str], dict]:
    """The list's filters as SQL conditions on the working tables' indexed columns."""
    where, params = [], {}
    if request.GET.get("tag"):
        where.append(
            "EXISTS (SELECT 1 FROM events_story_tags st JOIN events_tag t ON t.id = st.tag_id"
            f" WHERE st.story_id = {story_id} AND t.slug = %(tag)s)"
        )
        params["tag"] = request.GET["tag"]
    if request.GET.get("published_after"):
        where.append(f"{published_at} >= %(published_after)s")
        params["published_after"] = request.GET["published_after"]
    if request.GET.get("q", "").strip():
        where.append(
            f"{story_id} IN (SELECT s2.id FROM events_story s2 WHERE s2.search_document @@"
            " websearch_to_tsquery('english'::regconfig, %(q)s))"
        )
        params["q"] = request.GET["q"].strip()
    return where, params


# --- working tables ---------------------------------------------------------------------------

STORY_FIELDS = """
    'slug', s.slug,
    'url', %(root)s || 'stories/' || s.slug || '/',
    'headline', s.headline,
    'standfirst', s.standfirst,
    'dateline', s.dateline,
    'byline', s.byline,
    'first_published_at', s.first_published_at,
    'published_at', s.last_published_at,
    'updated_at', s.updated_at,
    'tags', (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name)
                                      ORDER BY t.name, t.id), '[]')
             FROM events_story_tags st JOIN events_tag t ON t.id = st.tag_id
             WHERE st.story_id = s.id),
    'key_points', (SELECT coalesce(json_agg(k.text ORDER BY k."order", k.id), '[]')
                   FROM events_keypoint k WHERE k.story_id = s.id AND k.approved_at IS NOT NULL),
    'events', (SELECT coalesce(json_agg(json_build_object('slug', e.slug, 'title', e.title,
                                                          'is_primary', se.is_primary)
                                        ORDER BY se.id), '[]')
               FROM events_storyevent se JOIN events_event e ON e.id = se.event_id
               WHERE se.story_id = s.id AND e.state = 'published'),
    'quotes', (SELECT coalesce(json_agg(json_build_object('text', q.text, 'speaker', q.speaker,
                                                          'speaker_role', q.speaker_role,
                                                          'source', q.source)
                                        ORDER BY q."order", q.id), '[]')
               FROM events_quote q WHERE q.story_id = s.id),
    'corrections', (SELECT coalesce(json_agg(json_build_object('text', c.text,
                                                               'date', c.created_at)
                                             ORDER BY c.created_at, c.id), '[]')
                    FROM events_correction c WHERE c.story_id = s.id)
"""


def tables_stories(request) -> HttpResponse:
    # The page's ids first, then its JSON: built for 20 rows, not for every row sorted.
    where, params = story_conditions(request, "s.id", "s.last_published_at")
    conditions = " AND ".join(["s.state = 'published'", *where])
    sql = f"""
        SELECT json_build_object(
            'next', %(root)s || 'stories/?cursor=' || min(page.position),
            'previous', NULL,
            'results', coalesce(json_agg(json_build_object({STORY_FIELDS})
                                         ORDER BY page.sort DESC, page.id DESC), '[]')
        )::text
        FROM (
            SELECT s.id, s.last_published_at AS sort,
                   s.last_published_at::text || ',' || s.id AS position
            FROM events_story s
            WHERE {conditions}
            ORDER BY s.last_published_at DESC, s.id DESC
            LIMIT {PAGE}
        ) page JOIN events_story s ON s.id = page.id
    """
    return answer(sql, {"root": api_root(request), **params})


def tables_story(request, slug: str) -> HttpResponse:
    sql = f"""
        SELECT json_build_object({STORY_FIELDS}, 'body_html', s.body_html)::text
        FROM events_story s WHERE s.slug = %(slug)s AND s.state = 'published'
    """
    return answer(sql, {"root": api_root(request), "slug": slug})


EVENT_FIELDS = """
    'slug', e.slug,
    'url', %(root)s || 'events/' || e.slug || '/',
    'title', e.title,
    'summary', e.summary,
    'event_type', (SELECT json_build_object('slug', t.slug, 'name', t.name)
                   FROM events_eventtype t WHERE t.id = e.event_type_id),
    'sub_type', (SELECT json_build_object('slug', t.slug, 'name', t.name)
                 FROM events_eventtype t WHERE t.id = e.sub_type_id),
    'starts_at', e.starts_at,
    'ends_at', e.ends_at,
    'time_precision', e.time_precision,
    'location', (SELECT json_build_object('name', l.name, 'country', l.country,
                                          'admin_region', l.admin_region,
                                          'latitude', l.latitude::float8,
                                          'longitude', l.longitude::float8)
                 FROM events_location l WHERE l.id = e.location_id),
    'geo_precision', e.geo_precision,
    'occurrence_status', e.occurrence_status,
    'verification_status', e.verification_status,
    'fatalities', (SELECT f.minimum FROM events_casualtyfigure f
                   WHERE f.event_id = e.id AND f.kind = 'killed'
                   ORDER BY f.civilians_only, f.as_of DESC, f.id DESC LIMIT 1),
    'casualties', (SELECT coalesce(json_agg(json_build_object(
                              'kind', f.kind, 'civilians_only', f.civilians_only,
                              'minimum', f.minimum, 'maximum', f.maximum,
                              'at_least', f.at_least,
                              'display', CASE WHEN f.at_least THEN 'at least ' ELSE '' END
                                         || f.minimum
                                         || coalesce('-' || f.maximum, ''),
                              'as_of', f.as_of, 'source', f.source_note)
                              ORDER BY f.kind, f.civilians_only), '[]')
                   FROM (SELECT DISTINCT ON (kind, civilians_only) *
                         FROM events_casualtyfigure WHERE event_id = e.id
                         ORDER BY kind, civilians_only, as_of DESC, id DESC) f),
    'munitions', (SELECT coalesce(json_agg(json_build_object(
                             'munition_type', m.munition_type, 'launched', m.launched,
                             'intercepted', m.intercepted, 'hit', m.hit, 'as_of', m.as_of,
                             'source', m.source_note) ORDER BY m.munition_type), '[]')
                  FROM (SELECT DISTINCT ON (munition_type) *
                        FROM events_munitioncount WHERE event_id = e.id
                        ORDER BY munition_type, as_of DESC, id DESC) m),
    'actors', (SELECT coalesce(json_agg(json_build_object('slug', a.slug, 'name', a.name,
                                                          'kind', a.kind, 'role', ea.role)
                                        ORDER BY ea.id), '[]')
               FROM events_eventactor ea JOIN events_actor a ON a.id = ea.actor_id
               WHERE ea.event_id = e.id),
    'parent', (SELECT json_build_object('slug', p.slug, 'title', p.title)
               FROM events_event p WHERE p.id = e.parent_id AND p.state = 'published'),
    'related', (SELECT coalesce(json_agg(json_build_object('slug', o.slug, 'title', o.title,
                                                           'relation', r.relation)
                                         ORDER BY r.outgoing DESC, r.id), '[]')
                FROM (SELECT id, to_event_id AS other, kind AS relation, true AS outgoing
                      FROM events_eventrelation WHERE from_event_id = e.id
                      UNION ALL
                      SELECT id, from_event_id, CASE kind WHEN 'follow_up' THEN 'followed_up_by'
                             WHEN 'duplicate_of' THEN 'duplicated_by' ELSE kind END, false
                      FROM events_eventrelation WHERE to_event_id = e.id) r
                JOIN events_event o ON o.id = r.other AND o.state = 'published'),
    'first_published_at', e.first_published_at,
    'updated_at', e.updated_at
"""


def tables_events(request) -> HttpResponse:
    sql = f"""
        SELECT json_build_object(
            'next', %(root)s || 'events/?cursor=' || min(page.position),
            'previous', NULL,
            'results', coalesce(json_agg(json_build_object({EVENT_FIELDS})
                                         ORDER BY page.sort DESC, page.id DESC), '[]')
        )::text
        FROM (
            SELECT e.id, e.starts_at AS sort, e.starts_at::text || ',' || e.id AS position
            FROM events_event e
            WHERE e.state = 'published'
            ORDER BY e.starts_at DESC, e.id DESC
            LIMIT {PAGE}
        ) page JOIN events_event e ON e.id = page.id
    """
    return answer(sql, {"root": api_root(request)})


# --- stored documents -------------------------------------------------------------------------

DOCUMENTS = "events_publicdocument"
PLURAL = {"story": "stories", "event": "events"}
SORT = {"story": "published_at", "event": "starts_at"}


def documents_list(request, kind: str, where: list[str], params: dict) -> HttpResponse:
    """One statement: the page's live documents by their list ordering (stories by last
    publication, events by start; newest first), their ``item`` texts in one JSON array."""
    sort = SORT[kind]
    conditions = " AND ".join(["d.kind = %(kind)s", "d.status = 'live'", *where])
    sql = f"""
        SELECT json_build_object(
            'next', %(next)s || min(page.position),
            'previous', NULL,
            'results', coalesce(json_agg(page.item::json ORDER BY page.sort DESC,
                                         page.record_id DESC), '[]')
        )::text
        FROM (
            SELECT d.item, d.record_id, d.{sort} AS sort,
                   d.{sort}::text || ',' || d.record_id AS position
            FROM {DOCUMENTS} d
            WHERE {conditions}
            ORDER BY d.{sort} DESC, d.record_id DESC
            LIMIT {PAGE}
        ) page
    """
    next_url = f"{api_root(request)}{PLURAL[kind]}/?cursor="
    return answer(sql, {"next": next_url, "kind": kind, **params})


def documents_stories(request) -> HttpResponse:
    where, params = story_conditions(request, "d.record_id", "d.published_at")
    return documents_list(request, "story", where, params)


def documents_events(request) -> HttpResponse:
    return documents_list(request, "event", [], {})


def documents_story(request, slug: str) -> HttpResponse:
    sql = f"SELECT body FROM {DOCUMENTS} WHERE kind = 'story' AND slug = %s AND status = 'live'"
    return answer(sql, [slug])


urlpatterns = [
    path("bench/tables/stories/", tables_stories),
    path("bench/tables/stories/<slug:slug>/", tables_story),
    path("bench/tables/events/", tables_events),
    path("bench/documents/stories/", documents_stories),
    path("bench/documents/stories/<slug:slug>/", documents_story),
    path("bench/documents/events/", documents_events),
    path("", include("newsroom.urls")),
]
