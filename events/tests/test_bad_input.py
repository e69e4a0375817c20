"""Bad input never answers 5xx: a route-by-route fuzz of the whole project.

Every URL pattern (the desk, the admin, the public site, the API, the feeds, the sitemap) is
visited with real ids and slugs from the demo newsroom, then with hostile values wherever its
path converters let them through, hostile query parameters (every parameter the route is known
to read, plus unknown ones) and, for the pages that take posts, every field of the page's forms
set to hostile values, as an editor, a reporter, an anonymous visitor (and a superuser for the
admin). Hostile values are the ones that took the app down before: NUL bytes (PostgreSQL refuses
them in text), digits that ``isdigit()`` accepts but ``int()`` refuses (``²``) or reads
(``١٢``), numbers past every column's range, quotes and very long strings.

Every request runs in a savepoint that is rolled back, so each one meets the same newsroom
(a delete that succeeds cannot hide the routes after it). All failures are collected and
reported at once: route, method, user and what was sent.
"""

from __future__ import annotations

import base64
import copy
import os
import random
import re
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote, urlencode, urlsplit

import pytest
import reversion
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.regex_helper import normalize
from reversion.models import Version

from events.models import BriefingItem, EventActor, EventRelation, KeyPoint, Source, Story

NUL = "\x00"
LONG = "x" * 3000
#: what a hostile client types: in query strings, form fields and (where they fit) paths
VALUES = [NUL, "a\x00b", "²", "١٢", "9" * 30, "-1", "'", "%", LONG]
#: what fits in a path segment (the long string only makes a 404 longer)
PATH_VALUES = [NUL, "²", "١٢", "9" * 30, "-1", "0"]
#: names no route reads: a strict route refuses them, the rest ignore them
UNKNOWN_PARAMETERS = ["zzz", "id"]
#: what the desk's own lookups and the admin read from the query string beyond their forms
KNOWN_PARAMETERS = {
    "desk:event-options": ["q", "exclude"],
    "desk:briefing-stories": ["q"],
    "desk:story-list": ["q", "state"],
    "desk:event-list": ["q", "state"],
    "desk:briefing-list": ["q", "state"],
    "desk:login": ["next"],
    "admin:login": ["next"],
    "admin:autocomplete": ["term", "app_label", "model_name", "field_name", "page"],
    "api:tombstones": ["since", "format"],
}
ADMIN_PARAMETERS = ["q", "o", "p", "all", "e", "_to_field", "_popup", "_changelist_filters"]


# --- the routes -------------------------------------------------------------------------------


@dataclass
class Route:
    """One URL pattern, with the chain of patterns that leads to it from the root."""

    chain: tuple
    name: str  # namespaced, e.g. "desk:story-edit"; the route text when the pattern has none
    area: str  # api, desk, admin or public
    model: type | None = None  # the model of an admin model page
    params: tuple[str, ...] = ()
    callback: object = None  # the view the pattern names
    route: str = ""  # ResolverMatch.route of a real path: how a path is known to hit it
    path: str = ""  # the route filled with real values

    def fill(self, values: dict[str, str]) -> str:
        text = ""
        for pattern in self.chain:
            if isinstance(pattern, RoutePattern):
                text += CONVERTER.sub(lambda m: values[m["parameter"]], pattern._route)
            else:
                template, names = normalize(pattern._regex.removeprefix("^"))[0]
                text += template % {name: values[name] for name in names}
        return "/" + text


CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def pattern_params(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return [m["parameter"] for m in CONVERTER.finditer(pattern._route)]
    return normalize(pattern._regex.removeprefix("^"))[0][1]


def all_routes() -> list[Route]:
    routes = []

    def walk(patterns, chain: tuple, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, (*chain, pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                full = (*chain, pattern.pattern)
                text = "".join(str(p) for p in full)
                name = f"{namespace}:{pattern.name}" if pattern.name else text
                area = text.split("/", 1)[0] if text.startswith(("admin", "desk")) else "public"
                if text.startswith("api/"):
                    area = "api"
                params = tuple(p for part in full for p in pattern_params(part))
                model = admin_model(full)
                routes.append(Route(full, name, area, model, params, pattern.callback))

    walk(get_resolver().url_patterns, (), "")
    return routes


def admin_model(chain: tuple):
    """The model of an admin model page (its chain runs through "<app>/<model>/")."""
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}/{model._meta.model_name}/"
        if len(chain) > 1 and str(chain[0]) == "admin/" and str(chain[1]) == prefix:
            return model
    return None


# --- real values for every path parameter ----------------------------------------------------


ON_A_LIVE_STORY = {"desk:story-correct", "desk:story-retract", "desk:story-unpublish"}


def path_values(route: Route, w: SimpleNamespace) -> dict[str, str]:
    """Real ids and slugs from the demo newsroom for the route's parameters."""
    name = route.name
    if route.model is not None:
        record = route.model._default_manager.order_by("pk").first()
        version = None
        if record is not None and reversion.is_registered(route.model):
            version = Version.objects.get_for_object(record).first()
        if name.endswith("_recover"):
            return {"_0": str(w.deleted_version.pk)}
        pk = str(record.pk) if record is not None else "999999"  # a list with no rows yet
        return {
            "object_id": pk,
            "id": pk,
            "_0": pk,
            "_1": str(version.pk if version else w.version.pk),
        }
    if name == "admin:view_on_site":
        return {"content_type_id": str(w.story_type.pk), "object_id": str(w.main.pk)}
    by_name = {
        "desk:event-source-delete": {"pk": w.kharkiv.pk, "source_pk": w.source.pk},
        "desk:event-actor-delete": {"pk": w.kharkiv.pk, "actor_pk": w.event_actor.pk},
        "desk:event-relation-delete": {"pk": w.wave.pk, "relation_pk": w.relation.pk},
    }
    if name in by_name:
        return {key: str(value) for key, value in by_name[name].items()}
    text = "".join(str(pattern) for pattern in route.chain)
    kinds = ("stories", "key-points", "events", "briefings", "items")
    found = [(text.find(f"{k}/"), k) for k in kinds if f"{k}/" in text]
    kind = min(found)[1] if found else ""  # the first collection the path names
    desk_pk = {
        # the reporter's draft (both people may edit it); the main story has key points and
        # is live, so that correcting, retracting and unpublishing it get as far as the save
        "stories": w.main.pk if "key-points" in text or name in ON_A_LIVE_STORY else w.draft.pk,
        "key-points": w.key_point.pk,
        "events": w.kharkiv.pk,
        "briefings": w.briefing.pk,
        "items": w.item.pk,
    }
    slug = {"stories": w.main.slug, "events": w.kharkiv.slug, "briefings": w.briefing.slug}
    local = timezone.localtime(w.main.first_published_at)
    values = {
        "pk": str(desk_pk.get(kind, "")),
        "slug": slug.get(kind, ""),
        "year": f"{local.year:04d}",
        "month": f"{local.month:02d}",
        "day": f"{local.day:02d}",
        "app_label": "events",
    }
    return {param: values.get(param, "1") for param in route.params}


@pytest.fixture
def world(newsroom, editor, reporter, settings) -> SimpleNamespace:
    # The fuzz is about input, not the budget: the API's rate limit stays out of the way.
    settings.NEWSROOM_API_ANON_RATE = "1000000/min"
    cache.clear()
    chief = User.objects.create_superuser("chief", "chief@example.org", "x")
    main = newsroom.main
    with reversion.create_revision():
        main.save()
        doomed = Story.objects.create(headline="Doomed", created_by=editor, updated_by=editor)
    with reversion.create_revision():
        doomed.delete()
    w = SimpleNamespace(**vars(newsroom))
    w.users = {"editor": editor, "reporter": reporter, "chief": chief, "anonymous": None}
    w.story_type = ContentType.objects.get_for_model(Story)
    w.version = Version.objects.get_for_object(main).first()
    w.deleted_version = Version.objects.get_deleted(Story).first()
    w.key_point = KeyPoint.objects.filter(story=main).first()
    w.source = Source.objects.filter(event=newsroom.kharkiv).first()
    w.event_actor = EventActor.objects.filter(event=newsroom.kharkiv).first()
    w.relation = EventRelation.objects.filter(from_event=newsroom.wave).first()
    w.item = BriefingItem.objects.filter(briefing=newsroom.briefing).first()
    routes = []
    for route in all_routes():
        route.path = route.fill(path_values(route, w))
        match = resolve(route.path)
        # A route whose real values lead elsewhere would be fuzzed as another: say so.
        assert match.func is route.callback, f"{route.name}: {route.path} is {match.route}"
        route.route = match.route
        routes.append(route)
    w.routes = routes
    return w


# --- reading a page's forms and links --------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.fields))


class PageParser(HTMLParser):
    """The forms of a page (each field with the value the page gave it) and its links."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    @property
    def form(self) -> Form:
        if not self.forms:  # a control outside any form
            self.forms.append(Form(self.page_path, "get"))
        return self.forms[-1]

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = a.get("action") or self.page_path
            if action.startswith("?"):
                action = self.page_path + action
            self.forms.append(Form(action, a.get("method", "get").lower()))
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self.form.fields.append((a["name"], None))  # a name the form can send
            elif kind != "file":
                default = "on" if kind in ("checkbox", "radio") else ""
                self.form.fields.append((a["name"], a.get("value", default)))
        elif tag == "button" and a.get("name"):
            self.form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self.select, self.select_first, self.select_chosen = a["name"], None, False
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.form.fields.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            if not self.select_chosen:
                self.form.fields.append((self.select, self.select_first or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.form.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def read_page(path: str, html: str) -> PageParser:
    parser = PageParser(path)
    parser.feed(html)
    return parser


def route_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


# --- sending, and what counts as a failure ---------------------------------------------------


class Fuzz:
    """Sends requests, each in a savepoint rolled back afterwards; collects what went wrong."""

    def __init__(self, world: SimpleNamespace):
        self.world = world
        self.clients: dict[str, Client] = {}
        for name, user in world.users.items():
            client = Client(raise_request_exception=True)
            if user is not None:
                client.force_login(user)
            self.clients[name] = client
        self.sent = 0
        self.server_errors = 0
        #: (route, method, user, what went wrong) -> what was sent, each time
        self.problems: dict[tuple[str, str, str, str], list[str]] = {}

    def send(self, route: Route, user: str, method: str, path: str, data=None):
        client = self.clients[user]
        cookies = copy.deepcopy(client.cookies)  # a logout must not log the next request out
        self.sent += 1
        try:
            with transaction.atomic():
                if method == "GET":
                    response = client.get(quote(path, safe="/"), data or {})
                else:
                    response = client.post(quote(path, safe="/"), data or {})
                transaction.set_rollback(True)
        except Exception as error:  # what Django would have answered with a 500
            self.server_errors += 1
            message = str(error).splitlines()[0][:100] if str(error) else ""
            cause = f"500 {type(error).__name__}: {message} [at {where(error)}]"
            self.note(route, user, method, path, data, cause)
            return None
        finally:
            client.cookies = cookies
        body = content(response)
        if response.status_code >= 500:
            self.server_errors += 1
            self.note(route, user, method, path, data, f"{response.status_code} {body[:100]!r}")
        elif response.status_code >= 400 and not body.strip():
            self.note(route, user, method, path, data, f"{response.status_code}, empty body")
        return response

    def note(self, route: Route, user: str, method: str, path: str, data, outcome: str) -> None:
        key = (route.name, method, user, outcome)
        self.problems.setdefault(key, []).append(f"{path} {short(data)}")

    def report(self) -> None:
        lines = [
            f"{route}: {method} as {user} -> {outcome} ({len(sent)}x, e.g. {sent[0]})"
            for (route, method, user, outcome), sent in self.problems.items()
        ]
        total = sum(len(sent) for sent in self.problems.values())
        print(f"{self.sent} requests, {self.server_errors} answered 5xx")  # the note's figures
        assert not lines, (
            f"{self.server_errors} of {self.sent} requests answered 5xx and "
            f"{total - self.server_errors} 4xx said nothing:\n" + "\n".join(lines)
        )


def where(error: BaseException) -> str:
    """The innermost line of the project's own code that the error passed through."""
    root = str(settings.BASE_DIR) + "/"
    frames = [
        frame
        for frame, _ in traceback.walk_tb(error.__traceback__)
        if frame.f_code.co_filename.startswith(root)
        and "/.venv/" not in frame.f_code.co_filename
        and "/tests/" not in frame.f_code.co_filename
    ]
    if not frames:
        return "Django or a library"
    frame = frames[-1]
    return f"{frame.f_code.co_filename.removeprefix(root)}:{frame.f_lineno}"


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def short(data) -> str:
    """What was sent, without the fields left as the page had them."""
    shown = {}
    for name, value in (data or {}).items():
        if not isinstance(value, list):
            shown[name] = value if len(value) <= 12 else f"{value[:12]}…({len(value)})"
    return repr(shown)[:200] if shown else ""


def cursor(position: str, offset: str = "0") -> str:
    """A cursor as DRF encodes one, with a hand-made position: what a crafted client sends."""
    query = urlencode({"o": offset, "r": "0", "p": position})
    return base64.b64encode(query.encode("ascii")).decode("ascii")


# --- how much to send ------------------------------------------------------------------------
#
# The sample keeps this file near a minute of `make test` (about 70 s on 2 cores, 2,900
# requests): every route gets every value class; every known parameter gets one more value
# alone; every form gets every value in all its fields at once as its first user, and one value
# as each other user; every field of a desk form (six sampled of an admin one) gets a NUL byte
# alone while the rest stay valid, so a field that lets NUL through reaches the save. The admin
# pages that are Django's own code, the same for every model (delete, history, recover), and the
# pages of other apps' models get three values. NEWSROOM_FUZZ=full sends every value to every
# parameter and field, alone and as every user, everywhere: several times as many requests.

FULL = os.environ.get("NEWSROOM_FUZZ", "") == "full"
#: the values for routes that read nothing we know of
FEW = VALUES if FULL else ["a\x00b", "²", "9" * 30]
#: the values a path parameter gets, where its converter lets them through
PATH_SAMPLE = PATH_VALUES if FULL else [NUL, "²", "9" * 30]
#: how many fields of an admin form get a NUL byte alone (desk forms: every field)
ADMIN_FIELDS_ALONE = 10_000 if FULL else 6
NOT_NUL = [value for value in VALUES if NUL not in value]


def values_for_user(position: int) -> list[str]:
    """Every value for a form's first user; one for each next user (a different one each)."""
    if FULL or position == 0:
        return VALUES
    return [FEW[position % len(FEW)]]


def values_alone(position: int, nul: bool) -> list[str]:
    """What one parameter or field gets alone: NUL (fields) or the next non-NUL value."""
    if FULL:
        return VALUES
    return ["a\x00b"] if nul else [NOT_NUL[position % len(NOT_NUL)]]


#: the admin's pages that are Django's or django-reversion's own, the same code for every model
GENERIC_ADMIN_PAGES = ("_delete", "_history", "_recoverlist", "_recover", "_revision")
#: the models whose generic admin pages get every value too
EDITORIAL = {"story", "event", "briefing"}


def is_generic_admin_page(route: Route) -> bool:
    """A page whose forms get a sample: the generic pages of all but the editorial records,
    and every page of another app's models (accounts, sign-in attempts)."""
    if FULL or route.model is None:
        return False
    opts = route.model._meta
    if opts.app_label != "events":
        return True
    return opts.model_name not in EDITORIAL and route.name.endswith(GENERIC_ADMIN_PAGES)


def sample(names: list[str], limit: int, seed: str) -> list[str]:
    if len(names) <= limit:
        return names
    return random.Random(seed).sample(names, limit)  # the same sample on every run


# --- the phases -------------------------------------------------------------------------------


def query_names(route: Route, pages: dict[str, PageParser]) -> list[str]:
    """The parameters the route is known to read: its filters, its forms' and links' names."""
    names = list(KNOWN_PARAMETERS.get(route.name, []))
    match = resolve(route.path)
    view = getattr(match.func, "cls", None)
    filterset = getattr(view, "filterset_class", None)
    if view is not None and getattr(match.func, "actions", {}).get("get") == "list":
        names += [*filterset.base_filters, "cursor", "page_size", "ordering", "format"]
    elif view is not None:
        names += ["format"]
    page = pages.get(route.route)
    if page is not None:
        for form in page.forms:
            if form.method == "get" and route_of(form.action) == route.route:
                names += form.names()
        for link in page.links:
            if link.startswith("?"):
                names += [pair.split("=")[0] for pair in link[1:].split("&") if pair]
    return list(dict.fromkeys(names))


def fuzz_query_strings(fuzz: Fuzz, route: Route, user: str, pages) -> None:
    """Every name with each hostile value at once, then each name alone."""
    names = query_names(route, pages)
    generic = UNKNOWN_PARAMETERS + (ADMIN_PARAMETERS if route.area == "admin" else [])
    for value in VALUES if names else FEW:
        fuzz.send(route, user, "GET", route.path, dict.fromkeys(names + generic, value))
    for position, name in enumerate(names):
        for value in values_alone(position, nul=False):
            fuzz.send(route, user, "GET", route.path, {name: value})
    if "cursor" in names:
        for position in VALUES:
            fuzz.send(route, user, "GET", route.path, {"cursor": cursor(position)})
        for offset in ("²", "١٢", "9" * 30, "-1"):
            fuzz.send(route, user, "GET", route.path, {"cursor": cursor("", offset)})


def fuzz_paths(fuzz: Fuzz, route: Route, user: str, poster: str | None) -> None:
    """Each path parameter replaced by each hostile value its converter lets through."""
    real = {k: v for k, v in path_values(route, fuzz.world).items() if k in route.params}
    for param in real:
        for value in PATH_SAMPLE:
            path = route.fill({**real, param: value})
            if route_of(path) != route.route:
                continue  # the converter refuses it: no view ever sees it
            fuzz.send(route, user, "GET", path)
            if poster is not None:
                fuzz.send(route, poster, "POST", path, {"expected_version": value})


def fuzz_forms(fuzz: Fuzz, route: Route, forms: list[Form], users: list[str]) -> None:
    """Each form's fields all hostile at once (every user), then one at a time (first user)."""
    if is_generic_admin_page(route):
        for form in forms:
            names = [name for name, _ in form.fields if name != "csrfmiddlewaretoken"]
            for value in FEW:
                fuzz.send(route, users[0], "POST", route.path, dict.fromkeys(names, value))
        return
    for form in forms:
        baseline: dict[str, list[str]] = {}
        for name, value in form.fields:
            baseline.setdefault(name, [])
            if value is not None:
                baseline[name].append(value)
        names = [name for name in baseline if name != "csrfmiddlewaretoken"]
        for position, user in enumerate(users):
            for value in values_for_user(position):
                hostile = {**baseline, **dict.fromkeys(names, value)}
                fuzz.send(route, user, "POST", route.path, hostile)
        if len(names) < 2:
            continue  # all at once was alone
        if route.area == "admin":
            names = sample(names, ADMIN_FIELDS_ALONE, route.name)
        for position, name in enumerate(names):
            for value in values_alone(position, nul=True):
                fuzz.send(route, users[0], "POST", route.path, {**baseline, name: value})


def read_pages(fuzz: Fuzz, routes: list[Route], user: str) -> tuple[dict, dict]:
    """GET each route with its real values: the forms and links of each page, and the status."""
    pages, statuses = {}, {}
    for route in routes:
        response = fuzz.send(route, user, "GET", route.path)
        statuses[route.route] = response.status_code if response is not None else 500
        if response is not None and "html" in response.get("Content-Type", ""):
            pages[route.route] = read_page(route.path, content(response).decode())
    return pages, statuses


def forms_by_route(pages: dict[str, PageParser]) -> dict[str, list[Form]]:
    """Each post form found on any page, filed under the route its action points at."""
    found: dict[str, dict[tuple, Form]] = {}
    for page in pages.values():
        for form in page.forms:
            route = route_of(form.action) if form.method == "post" else None
            if route is not None:
                found.setdefault(route, {}).setdefault(tuple(form.names()), form)
    return {route: list(forms.values()) for route, forms in found.items()}


#: what desk actions read from a post beyond their forms
FALLBACK_FIELDS = ["expected_version", "text", "story", "reason", "seen", "point", "order"]


def run_area(w: SimpleNamespace, area: str, reader: str, posters: list[str]) -> Fuzz:
    fuzz = Fuzz(w)
    routes = [route for route in w.routes if route.area == area]
    pages, statuses = read_pages(fuzz, routes, reader)
    forms = forms_by_route(pages)
    fallback = Form("", "post", [(name, "") for name in FALLBACK_FIELDS])
    for route in routes:
        fuzz_query_strings(fuzz, route, reader, pages)
        # A route takes posts if a page has a form for it, or if it refuses a GET.
        takes_posts = bool(posters) and (route.route in forms or statuses[route.route] == 405)
        fuzz_paths(fuzz, route, reader, posters[0] if takes_posts and area == "desk" else None)
        if takes_posts:
            fuzz_forms(fuzz, route, forms.get(route.route, [fallback]), posters)
        else:  # a post where none is expected is still a request a stranger can send
            fuzz.send(route, "anonymous", "POST", route.path, dict.fromkeys(FALLBACK_FIELDS, NUL))
    return fuzz


# --- the tests --------------------------------------------------------------------------------


def test_the_api_feeds_and_sitemap_never_answer_5xx(world):
    run_area(world, "api", "anonymous", []).report()


def test_the_public_site_never_answers_5xx(world):
    run_area(world, "public", "anonymous", []).report()


def test_the_desk_never_answers_5xx(world):
    run_area(world, "desk", "editor", ["editor", "reporter", "anonymous"]).report()


def test_the_admin_never_answers_5xx(world):
    run_area(world, "admin", "chief", ["chief", "editor", "reporter", "anonymous"]).report()


# --- the guards, one by one -------------------------------------------------------------------


def test_a_nul_byte_in_a_desk_search_is_refused_with_a_page_that_says_why(editor_client):
    response = editor_client.get("/desk/stories/", {"q": "Kharkiv\x00"})
    assert response.status_code == 400
    assert b"contains a NUL character" in response.content
    assert b"&#x27;q&#x27;" in response.content  # the parameter, named


def test_a_nul_byte_in_an_api_filter_or_path_is_a_problem_document(client, db):
    response = client.get("/api/v1/events/", {"parent": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid-params"] == [
        {"name": "parent", "reason": "Contains a NUL character."}
    ]
    assert client.get("/api/v1/stories/a%00b/").json()["invalid-params"][0]["name"] == "path"


def test_a_nul_byte_hidden_in_an_api_cursor_is_refused(client, newsroom):
    for url in ("/api/v1/tags/", "/api/v1/stories/"):
        response = client.get(url, {"cursor": cursor("war\x00")})
        assert response.status_code == 400
        assert response.json()["invalid-params"][0]["name"] == "cursor"


def test_a_get_to_a_button_address_says_which_method_it_takes(editor_client, newsroom):
    response = editor_client.get(f"/desk/stories/{newsroom.main.pk}/publish/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert b"does not take GET requests, only POST" in response.content


def test_a_digit_int_refuses_is_ignored_by_the_event_search(editor_client, newsroom):
    for exclude in ("²", "9" * 30, str(newsroom.kharkiv.pk)):
        response = editor_client.get("/desk/events/options/", {"q": "Kharkiv", "exclude": exclude})
        assert response.status_code == 200
    assert newsroom.kharkiv.title.encode() not in response.content  # a real id is left out


def test_an_id_past_every_column_matches_nothing(newsroom):
    assert not Story.objects.filter(pk__in=[10**30, -(10**30)]).exists()
    assert Story.objects.filter(pk__in=[10**30, newsroom.main.pk]).get() == newsroom.main


def test_a_story_with_a_nul_byte_is_refused_and_what_was_typed_stays(editor_client, newsroom):
    data = {
        "headline": "Night of drones\x00 over Odesa",
        "standfirst": "",
        "body": "Port buildings caught fire, officials said.",
        "dateline": "",
        "byline": "",
        "expected_version": "",
        "tags": ["9" * 30],
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
    }
    response = editor_client.post("/desk/stories/new/", data)
    assert response.status_code == 200
    assert b"Null characters are not allowed." in response.content
    assert b"Port buildings caught fire, officials said." in response.content
    assert not Story.objects.filter(body__startswith="Port buildings").exists()


def test_a_post_claiming_endless_rows_is_refused_without_building_them(
    editor_client, client, newsroom
):
    # A formset builds as many forms as TOTAL_FORMS says (Django allows 2,000 per formset): the
    # desk's story form and the admin's inlines take far fewer.
    data = {
        "headline": "Night of drones over Odesa",
        "links-TOTAL_FORMS": "9" * 30,
        "links-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
    }
    response = editor_client.post("/desk/stories/new/", data)
    assert b"Please submit at most 50 forms." in response.content
    assert b'name="links-49-event"' in response.content
    assert b'name="links-50-event"' not in response.content
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "x"))
    url = f"/admin/events/event/{newsroom.kharkiv.pk}/change/"
    page = read_page(url, client.get(url).content.decode())
    form = next(form for form in page.forms if "title" in form.names())
    data = {name: value for name, value in form.fields if value is not None}
    response = client.post(url, {**data, "casualty_figures-TOTAL_FORMS": "9" * 30})
    assert b"Please submit at most 200 forms." in response.content


def test_the_admin_shows_a_bad_autocomplete_value_as_a_form_error(client, newsroom):
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "x"))
    url = f"/admin/events/event/{newsroom.kharkiv.pk}/change/"
    page = read_page(url, client.get(url).content.decode())
    form = next(form for form in page.forms if "title" in form.names())
    data = {name: value for name, value in form.fields if value is not None}
    response = client.post(url, {**data, "location": "²", "parent": "a\x00b"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert newsroom.kharkiv.title.encode() in response.content  # the rest, as typed


def admin_form(client, url: str) -> dict:
    """The admin change form at ``url`` as the browser would send it back unchanged."""
    page = read_page(url, client.get(url).content.decode())
    form = next(form for form in page.forms if form.method == "post" and len(form.fields) > 5)
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        if value is not None:
            data.setdefault(name, []).append(value)
    return data


def test_the_admin_refuses_what_django_alone_let_through(client, newsroom):
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "x"))
    # two primary events for one story (was an IntegrityError)
    url = f"/admin/events/story/{newsroom.main.pk}/change/"
    data = admin_form(client, url)
    response = client.post(url, {**data, "story_events-1-is_primary": "on"})
    assert b"Mark only one linked event as primary." in response.content
    # a negative count of existing rows (was an IntegrityError: rows inserted again)
    url = f"/admin/events/event/{newsroom.kharkiv.pk}/change/"
    response = client.post(url, {**admin_form(client, url), "event_actors-INITIAL_FORMS": "-1"})
    assert b"count of existing rows does not match its rows" in response.content
    assert newsroom.kharkiv.event_actors.count() == 2
    # a year past datetime() in a date hierarchy (was an OverflowError)
    response = client.get("/admin/events/event/", {"starts_at__year": "9" * 30})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_a_key_point_with_a_nul_byte_is_refused_with_a_message(editor_client, newsroom):
    before = newsroom.main.key_points.count()
    url = f"/desk/stories/{newsroom.main.pk}/key-points/add/"
    response = editor_client.post(url, {"text": "Three killed\x00"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"Null characters are not allowed." in response.content
    assert newsroom.main.key_points.count() == before


def test_a_correction_with_a_nul_byte_is_refused_with_a_message(editor_client, newsroom):
    # The text once went to the model straight from request.POST: a 500 on PostgreSQL.
    url = f"/desk/stories/{newsroom.main.pk}/correct/"
    response = editor_client.post(url, {"text": "Three, not four\x00"}, follow=True)
    assert b"Null characters are not allowed." in response.content
    assert not newsroom.main.corrections.filter(text__startswith="Three, not four").exists()


def test_a_sign_in_with_an_overlong_username_is_refused(client, db):
    # Django's AuthenticationForm sets the username's max_length without its validator, so a
    # 3,000-character name reaches authenticate(), and axes records it (a 255-character column:
    # it was a 500 on PostgreSQL).
    response = client.post("/desk/login/", {"username": "x" * 3000, "password": "x"})
    assert response.status_code in (200, 429)
