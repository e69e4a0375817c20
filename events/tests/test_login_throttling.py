"""Sign-in throttling: per account and per address, on the desk's and the admin's login pages.

Past the configured number of failures an account (from any address) or an address (whatever
account it tries) is refused, even with the right password, with a page that says what is locked,
for how long, and that an editor can unlock it; the editor does so in the admin.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from .fresh_settings import settings_printed

PASSWORD = "a long night-desk password"
LIMIT = 3
DESK_LOGIN = reverse("desk:login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def throttling(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def accounts(editor, reporter):
    """The editor and the reporter can sign in with PASSWORD."""
    for user in (editor, reporter):
        user.set_password(PASSWORD)
        user.save()
    return editor, reporter


def sign_in(client, username, password, address="203.0.113.7", url=DESK_LOGIN, **headers):
    return client.post(
        url,
        {"username": username, "password": password, "next": "/desk/"},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_a_sign_in_before_the_limit_works(client, accounts):
    for _ in range(LIMIT - 1):
        assert b"did not match" in sign_in(client, "reporter", "wrong").content
    response = sign_in(client, "reporter", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert signed_in(client)


def test_after_the_limit_the_account_is_locked_even_with_the_right_password(client, accounts):
    for _ in range(LIMIT - 1):
        assert sign_in(client, "reporter", "wrong").status_code == 200
    locking = sign_in(client, "reporter", "wrong")
    assert locking.status_code == 429
    assert "Sign-in locked" in locking.text

    response = sign_in(client, "reporter", PASSWORD)
    assert response.status_code == 429
    assert "The account “reporter” and your address are" in response.text
    assert f"locked after {LIMIT} failed sign-ins, for up to 15 more minutes" in response.text
    assert "An editor can unlock it sooner" in response.text
    assert "Access attempts" in response.text
    assert not signed_in(client)


def test_guesses_from_many_addresses_lock_the_account_for_every_address(client, accounts):
    for n in range(LIMIT):
        sign_in(client, "reporter", "wrong", address=f"198.51.100.{n + 1}")
    response = sign_in(client, "reporter", PASSWORD, address="192.0.2.50")
    assert response.status_code == 429
    assert "The account “reporter” is" in response.text
    assert "address" not in response.text.split("locked after")[0]
    assert not signed_in(client)


def test_one_address_guessing_many_accounts_is_locked(client, accounts):
    for username in ["anna", "bohdan", "chief"][:LIMIT]:
        sign_in(client, username, "wrong", address="203.0.113.66")
    response = sign_in(client, "editor", PASSWORD, address="203.0.113.66")
    assert response.status_code == 429
    assert "Your address is" in response.text
    assert not signed_in(client)
    # The editor's account itself is not locked: from elsewhere the editor gets in.
    assert sign_in(client, "editor", PASSWORD, address="192.0.2.10").status_code == 302


def test_a_forged_forwarded_for_header_does_not_give_a_fresh_address(client, accounts):
    """Without DJANGO_BEHIND_TLS_PROXY, X-Forwarded-For is the client's own say and is ignored."""
    for n in range(LIMIT):
        sign_in(client, f"user{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
    response = sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429
    assert AccessAttempt.objects.values_list("ip_address", flat=True).distinct().get() == (
        "203.0.113.7"
    )


def test_behind_the_proxy_each_forwarded_client_counts_apart(client, accounts, settings):
    """With DJANGO_BEHIND_TLS_PROXY (NUM_PROXIES 1) the address the proxy appended counts, as in
    the API's rate limit; whatever the client itself put in front of it does not."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        sign_in(client, f"user{n}", "wrong", proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.9")
    locked = sign_in(client, "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert locked.status_code == 429
    other_client = sign_in(Client(), "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="192.0.2.4")
    assert other_client.status_code == 302


def test_the_admin_login_is_throttled_the_same_way(client, accounts):
    for _ in range(LIMIT - 1):
        response = sign_in(client, "editor", "wrong", url=ADMIN_LOGIN)
        assert response.status_code == 200
    # One counter for both pages: the last failure on the desk locks the admin too.
    assert sign_in(client, "editor", "wrong").status_code == 429
    response = sign_in(client, "editor", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "The account “editor”" in response.text
    assert not signed_in(client)


def test_an_editor_unlocks_the_account_in_the_admin(client, accounts, second_editor):
    for n in range(LIMIT):
        sign_in(client, "reporter", "wrong", address=f"198.51.100.{n + 1}")
    assert sign_in(client, "reporter", PASSWORD).status_code == 429

    desk = Client()
    desk.force_login(second_editor)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = desk.get(changelist, {"q": "reporter"})
    assert page.status_code == 200
    assert "Access attempts" in desk.get(reverse("admin:index")).text
    attempts = list(AccessAttempt.objects.filter(username="reporter").values_list("pk", flat=True))
    assert len(attempts) == LIMIT
    response = desk.post(
        changelist,
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="reporter").exists()

    assert sign_in(client, "reporter", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_reporter_cannot_see_or_clear_access_attempts(reporter_client):
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert reporter_client.get(changelist).status_code == 403


def test_the_lock_ends_after_the_cool_off(client, accounts):
    for _ in range(LIMIT):
        sign_in(client, "reporter", "wrong")
    assert sign_in(client, "reporter", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert sign_in(client, "reporter", PASSWORD).status_code == 302


def test_guesses_during_a_lockout_neither_count_nor_extend_it(client, accounts):
    for _ in range(LIMIT):
        sign_in(client, "reporter", "wrong")
    before = AccessAttempt.objects.get()
    for _ in range(5):
        assert sign_in(client, "reporter", "wrong").status_code == 429
    after = AccessAttempt.objects.get()
    assert (after.failures_since_start, after.attempt_time) == (LIMIT, before.attempt_time)


def test_a_trusted_address_is_never_locked_out(client, accounts, settings):
    """The office or VPN (NEWSROOM_LOGIN_TRUSTED_ADDRESSES): an outsider who locks an editor's
    account does not keep the editor out of the desk from there."""
    settings.AXES_IP_WHITELIST = ["192.0.2.200"]
    for _ in range(LIMIT):
        sign_in(client, "editor", "wrong", address="203.0.113.99")
    assert sign_in(client, "editor", PASSWORD, address="203.0.113.5").status_code == 429
    assert sign_in(client, "editor", PASSWORD, address="192.0.2.200").status_code == 302


def test_limits_come_from_the_environment():
    def read(**env: str) -> str:
        return settings_printed(
            "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.AXES_IP_WHITELIST",
            env,
            drop=("DJANGO_", "NEWSROOM_L"),
        )

    assert read() == "5 900.0 []"
    assert (
        read(
            NEWSROOM_LOGIN_FAILURE_LIMIT="8",
            NEWSROOM_LOGIN_COOLOFF_MINUTES="30",
            NEWSROOM_LOGIN_TRUSTED_ADDRESSES="192.0.2.1, 2001:DB8::1",
        )
        == "8 1800.0 ['192.0.2.1', '2001:db8::1']"
    )
