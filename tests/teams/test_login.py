from django.urls import reverse


def test_the_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_logging_in_leads_to_the_library(client, owner):
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    assert response.status_code == 302
    assert response.url == reverse("articles:library")


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "olivia", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_logout_is_post_only(client, owner):
    client.force_login(owner)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("articles:library")).status_code == 200


def test_logout_by_post_ends_the_session(client, owner):
    client.force_login(owner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("articles:library")).status_code == 302


def test_logout_needs_the_csrf_token(owner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(reverse("logout")).status_code == 403


def test_the_health_check_answers_without_a_login(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok")
    assert client.post(reverse("healthz")).status_code == 405


def test_a_session_from_before_the_settings_backend_stays_signed_in(client, owner):
    from django.contrib.auth import BACKEND_SESSION_KEY

    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    assert client.get(reverse("settings:settings")).status_code == 200


def test_a_wrong_password_is_checked_once(client, owner, monkeypatch):
    from django.contrib.auth.backends import ModelBackend

    calls = []
    original = ModelBackend.authenticate

    def counting(self, *args, **kwargs):
        calls.append(type(self).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    response = client.post(reverse("login"), {"username": "olivia", "password": "wrong"})
    assert response.status_code == 200 and calls == ["UserWithSettingsBackend"]
    client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    assert calls == ["UserWithSettingsBackend", "UserWithSettingsBackend"]
