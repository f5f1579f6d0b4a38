"""The user's own account (teams/accounts.py): display name, e-mail address, changing
and resetting the password, sign-up's password errors, the e-mail settings."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from articles.highlighting import create_highlight
from articles.models import ArticleNote
from newsreader.settings import email_settings
from teams import accounts
from tests.factories import make_article
from tests.teams.helpers import HX

SETTINGS = reverse("settings:settings")
NAME = reverse("settings:display-name")
EMAIL = reverse("settings:email")
CHANGE = reverse("settings:password-change")
RESET = reverse("password_reset")
NEW_PASSWORD = "harbour-ferry-42"


def messages_after(client, response):
    return [str(m) for m in client.get(response.url).context["messages"]]


# The settings page


def test_the_settings_page_has_the_account_forms(client, owner):
    client.force_login(owner)
    html = client.get(SETTINGS).content.decode()
    assert f'action="{NAME}"' in html and f'action="{EMAIL}"' in html
    assert f'href="{CHANGE}"' in html and 'action="/settings/reader/"' in html


@pytest.mark.parametrize("url", [SETTINGS, CHANGE])
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", [NAME, EMAIL])
def test_the_account_forms_take_only_posts_from_signed_in_users(client, owner, url):
    assert client.post(url, {}).url.startswith(reverse("login"))
    client.force_login(owner)
    assert client.get(url).status_code == 405


# Display name


def test_a_display_name_is_shown_instead_of_the_username(client, owner, teammate, team):
    article = make_article(team, user=owner)
    start = article.text.index("battery boat")
    highlight = create_highlight(article, owner, start, start + 12, "yellow")[0]
    highlight.set_note("My note")
    ArticleNote(article=article, author=owner).set_body("On the article")
    client.force_login(owner)
    reader = reverse("articles:article-detail", args=[article.pk])
    assert ">olivia</p>" in client.get(reader).content.decode()  # cached as it is now
    response = client.post(NAME, {"display_name": "  Olivia   Hart "})
    assert response.url == SETTINGS
    assert messages_after(client, response) == ["Others now see you as “Olivia Hart”."]
    owner.refresh_from_db()
    assert owner.get_full_name() == "Olivia Hart"
    # Teammates see the name at once: the cached panel was dropped.
    client.force_login(teammate)
    html = client.get(reader).content.decode()
    assert "Olivia Hart</p>" in html and ">olivia</p>" not in html
    assert 'title="Key point · Olivia Hart"' in html
    assert ">Olivia Hart's</option>" in html
    thread = client.get(reverse("articles:highlight-detail", args=[highlight.pk])).content
    assert b"Olivia Hart</p>" in thread


def test_the_team_page_names_members_with_their_username(client, owner, team):
    client.force_login(owner)
    client.post(NAME, {"display_name": "Olivia Hart"})
    html = client.get(reverse("teams:team-settings", args=[team.slug])).content.decode()
    assert 'Olivia Hart <span class="hint">(olivia)</span>' in html


def test_an_empty_display_name_shows_the_username_again(client, owner):
    owner.first_name, owner.last_name = "Olivia", "Hart"
    owner.save()
    client.force_login(owner)
    response = client.post(NAME, {"display_name": ""})
    assert messages_after(client, response) == ["Others now see your username."]
    owner.refresh_from_db()
    assert owner.get_full_name() == ""


@pytest.mark.parametrize(
    ("name", "message"),
    [("x" * 151, "at most 150 characters"), ("Olivia\x00", "Null characters are not allowed")],
)
def test_a_bad_display_name_is_explained_next_to_the_field(client, owner, name, message):
    client.force_login(owner)
    response = client.post(NAME, {"display_name": name})
    html = response.content.decode()
    assert response.status_code == 422 and message in html
    assert 'aria-invalid="true"' in html


def test_control_characters_are_refused(client, owner):
    client.force_login(owner)
    response = client.post(NAME, {"display_name": "Ol\u200bivia\u0007"})
    assert response.status_code == 422
    assert "cannot contain control characters" in response.content.decode()


def test_the_api_says_the_display_name(client, owner):
    client.force_login(owner)
    assert client.get("/api/v1/me/").json()["display_name"] == "olivia"
    client.post(NAME, {"display_name": "Olivia Hart"})
    assert client.get("/api/v1/me/").json()["display_name"] == "Olivia Hart"


# E-mail address


def test_the_address_is_changed_with_the_password(client, owner):
    client.force_login(owner)
    response = client.post(EMAIL, {"email": "olivia@example.org", "password": "pw-olivia"})
    assert messages_after(client, response) == [
        "Password reset links now go to olivia@example.org."
    ]
    owner.refresh_from_db()
    assert owner.email == "olivia@example.org"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "olivia@example.org", "password": "wrong"}, "That is not your password."),
        ({"email": "not an address", "password": "pw-olivia"}, "Enter a valid email address."),
        ({"email": "olivia@example.org"}, "This field is required."),
    ],
)
def test_a_refused_address_change_says_why(client, owner, data, message):
    client.force_login(owner)
    response = client.post(EMAIL, data)
    assert response.status_code == 422 and message in response.content.decode()
    owner.refresh_from_db()
    assert owner.email == ""


# Changing the password


def test_changing_the_password_keeps_this_session_and_ends_the_others(client, owner):
    client.force_login(owner)
    elsewhere = Client()
    elsewhere.force_login(owner)
    data = {
        "old_password": "pw-olivia",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    response = client.post(CHANGE, data)
    assert response.url == SETTINGS
    assert messages_after(client, response) == ["Your password has been changed."]
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert elsewhere.get(SETTINGS).status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"old_password": "nope"}, "old_password", "Your old password was entered incorrectly"),
        ({"new_password1": "short1", "new_password2": "short1"}, "new_password1", "too short"),
        ({"new_password2": "other-ferry-43"}, "new_password2", "didn’t match"),
    ],
)
def test_a_refused_change_says_why_on_the_right_field(client, owner, data, field, message):
    client.force_login(owner)
    base = {
        "old_password": "pw-olivia",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    response = client.post(CHANGE, {**base, **data})
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    owner.refresh_from_db()
    assert owner.check_password("pw-olivia")


# Resetting a forgotten password


def _reset_link(message):
    return re.search(r"https?://[^/\s]+(/password-reset/\S+/)", message.body).group(1)


def test_the_login_page_links_forgotten_passwords(client, db):
    assert f'href="{RESET}">Forgot password?</a>'.encode() in client.get(reverse("login")).content


def test_a_reset_by_e_mail_sets_a_new_password(client, owner):
    owner.email = "olivia@example.org"
    owner.save()
    response = client.post(RESET, {"email": "Olivia@Example.org"})
    assert response.url == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(response.url).content.decode()
    [message] = mail.outbox
    assert message.to == ["olivia@example.org"]
    assert "olivia" in message.body
    link = _reset_link(message)
    # Django swaps the token for a session-held one, then shows the form.
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    url = form_page.redirect_chain[-1][0]
    weak = client.post(url, {"new_password1": "short1", "new_password2": "short1"})
    assert "too short" in " ".join(weak.context["form"].errors["new_password1"])
    done = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    # The link worked once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, owner):
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_resets_to_one_address_are_limited(client, owner):
    owner.email = "olivia@example.org"
    owner.save()
    for _ in range(accounts.RESETS_PER_HOUR + 2):
        assert client.post(RESET, {"email": "olivia@example.org"}).status_code == 302
    assert len(mail.outbox) == accounts.RESETS_PER_HOUR


def test_a_tampered_link_is_refused(client, owner):
    html = client.get("/password-reset/MQ/set-password/", follow=True).content.decode()
    assert "This link no longer works" in html


# Sign-up


def test_a_too_short_password_is_reported_on_the_password_field(client, db, settings):
    settings.OPEN_SIGNUP = True
    response = client.post(
        reverse("signup"), {"username": "nadia", "password1": "short1", "password2": "short1"}
    )
    errors = response.context["form"].errors
    assert "password1" in errors and "password2" not in errors
    assert "too short" in errors["password1"][0]
    html = response.content.decode()
    assert html.index("too short") < html.index('name="password2"')


def test_sign_up_takes_an_optional_address(client, db, settings):
    settings.OPEN_SIGNUP = True
    data = {"username": "nadia", "email": "nadia@example.org"}
    client.post(reverse("signup"), {**data, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert get_user_model().objects.get(username="nadia").email == "nadia@example.org"


# E-mail settings (newsreader/settings.py email_settings)


EMAIL_VARIABLES = [
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL",
]


@pytest.fixture
def clean_environment(monkeypatch):
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_a_host_e_mail_goes_to_the_console(clean_environment):
    config = email_settings()
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert config["DEFAULT_FROM_EMAIL"] == "newsreader@localhost"


def test_a_host_means_smtp_with_starttls(clean_environment):
    clean_environment.setenv("EMAIL_HOST", "smtp.example.org")
    clean_environment.setenv("EMAIL_HOST_USER", "news")
    clean_environment.setenv("EMAIL_HOST_PASSWORD", "secret")
    clean_environment.setenv("DEFAULT_FROM_EMAIL", "News <news@example.org>")
    config = email_settings()
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    clean_environment.setenv("EMAIL_USE_TLS", "false")
    clean_environment.setenv("EMAIL_USE_SSL", "true")
    assert email_settings()["EMAIL_PORT"] == 465


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"EMAIL_USE_SSL": "true"}, "exclude each other"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT must be a port number"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be an integer"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS must be true or false"),
        ({"EMAIL_HOST_USER": "news"}, "Set both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD"),
        ({"DEFAULT_FROM_EMAIL": "newsreader"}, "DEFAULT_FROM_EMAIL must be an e-mail address"),
    ],
)
def test_junk_e_mail_settings_stop_the_app(clean_environment, variables, message):
    clean_environment.setenv("EMAIL_HOST", "smtp.example.org")
    for name, value in variables.items():
        clean_environment.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        email_settings()


def test_htmx_is_not_needed_for_any_of_it(client, owner):
    # The account forms are plain pages: an htmx request gets the same answer.
    client.force_login(owner)
    assert client.get(SETTINGS, headers=HX).status_code == 200


def test_resets_from_one_client_address_are_limited(client, owner, django_user_model):
    # Each new e-mail address would otherwise be another count kept and another e-mail.
    limit = accounts.RESETS_PER_CLIENT_PER_HOUR
    for n in range(limit + 2):
        django_user_model.objects.create_user(f"u{n}", f"u{n}@example.org", "pw")
        response = client.post(RESET, {"email": f"u{n}@example.org"}, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 302
    assert len(mail.outbox) == limit
    owner.email = "olivia@example.org"
    owner.save()
    client.post(RESET, {"email": "olivia@example.org"}, REMOTE_ADDR="192.0.2.9")
    assert len(mail.outbox) == limit + 1  # another address is not held up


def test_the_reset_and_preview_limits_count_atomically(client, owner, monkeypatch):
    # One implementation: the login throttle's, atomic on the database cache too.
    from articles import previews
    from teams import throttle

    counted = []

    def recording(key, delta, timeout, alias="default"):
        counted.append((key.split(":")[0], alias))
        return throttle.increment(key, delta, timeout, alias=alias)

    monkeypatch.setattr(accounts, "increment", recording)
    monkeypatch.setattr(previews, "increment", recording)
    client.post(RESET, {"email": "olivia@example.org"})
    # Reset counts sit with the login counts, where other traffic cannot cull them.
    assert counted == [("password-reset", throttle.THROTTLE)] * 2
    article = make_article(owner.memberships.get().team, user=owner)
    client.force_login(owner)
    client.post(reverse("articles:note-preview", args=[article.pk]), {"body": "x"}, headers=HX)
    assert counted[2:] == [("note-preview", "default")]
