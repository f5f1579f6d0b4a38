import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# would refuse to run there without this (see TOOLCHAIN).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from teams.models import Membership, Team  # noqa: E402


@pytest.fixture
def team(db):
    return Team.objects.create(name="Newsroom", slug="newsroom")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Elsewhere", slug="elsewhere")


def _member(django_user_model, team, username, role):
    user = django_user_model.objects.create_user(username, password="pw-" + username)
    Membership.objects.create(team=team, user=user, role=role)
    return user


@pytest.fixture
def owner(django_user_model, team):
    return _member(django_user_model, team, "olivia", Membership.Role.OWNER)


@pytest.fixture
def teammate(django_user_model, team):
    return _member(django_user_model, team, "tariq", Membership.Role.MEMBER)


@pytest.fixture
def outsider(django_user_model, other_team):
    return _member(django_user_model, other_team, "oscar", Membership.Role.OWNER)


@pytest.fixture
def reader_only(django_user_model, team):
    return _member(django_user_model, team, "rita", Membership.Role.READ_ONLY)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The reader caches rendered fragments, the login throttle its counts;
    # tests must not see each other's.
    from django.core.cache import caches

    caches["default"].clear()
    caches["throttle"].clear()


@pytest.fixture
def team_admin(django_user_model, team):
    return _member(django_user_model, team, "ada", Membership.Role.ADMIN)


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_directory_of_its_own(tmp_path_factory):
    # Uploads the tests store (imports through the admin) go to this process's own
    # directory, not the checkout's media/, which `make run` and other test
    # processes (pytest-xdist's workers, another suite) use at the same time.
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True, scope="session")
def _partials_record_their_context():
    # The test client records each rendered template's context through
    # Django's instrumented Template._render; a template partial
    # ("page.html#fragment") renders through its own proxy, so fragments
    # would answer with `response.context` None. Instrument it the same way.
    from django.test.utils import instrumented_test_render
    from template_partials.templatetags.partials import TemplateProxy

    original = TemplateProxy._render
    TemplateProxy._render = instrumented_test_render
    yield
    TemplateProxy._render = original


def pytest_collection_modifyitems(config, items):
    # Schemathesis names each operation's test "test_…[GET /api/v1/me/]", but pytest 9.2
    # builds a test's node id from its undecorated name, so all of them share one id.
    # pytest-xdist schedules by node id: under `make test` it ran the first operation
    # and silently dropped the others. Give each its own id back.
    for item in items:
        original = getattr(item, "originalname", None)
        if (
            type(item).__name__ == "SchemathesisFunction"
            and original
            and item.name.startswith(f"{original}[")
            and not item.nodeid.endswith("]")
        ):
            item._id = item.parent.id.child(original).with_params(item.name[len(original) + 1 : -1])
    # Two tests with one id would again be one test to pytest-xdist: refuse to run them.
    seen = set()
    duplicates = sorted(
        {item.nodeid for item in items if item.nodeid in seen or seen.add(item.nodeid)}
    )
    if duplicates:
        raise pytest.UsageError(
            "Tests share a node id, which pytest-xdist would run only once: "
            + ", ".join(duplicates[:5])
        )
