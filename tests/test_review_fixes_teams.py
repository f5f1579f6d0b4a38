"""Second review: the admin login is throttled; import pages follow permissions."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportBatch
from teams.membership import invite, revoke_invitation
from teams.models import Invitation


def test_the_admin_login_is_throttled_too(client, django_user_model):
    django_user_model.objects.create_superuser("root", password="right-password-1")
    url = reverse("admin:login")
    for _ in range(6):
        client.post(url, {"username": "root", "password": "wrong"})
    response = client.post(url, {"username": "root", "password": "right-password-1"})
    assert response.status_code == 200
    assert b"Too many failed attempts" in response.content


@pytest.fixture
def batch(team, admin_user, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    row = {
        "title": "A",
        "html": "<article><p>" + "Some readable words here. " * 30 + "</p></article>",
    }
    client.post(
        reverse("admin:imports_importbatch_import"),
        {
            "team": team.pk,
            "format": "auto",
            "files": [SimpleUploadedFile("a.jsonl", json.dumps(row).encode())],
        },
    )
    client.logout()
    return ImportBatch.objects.get()


@pytest.fixture
def plain_staff(django_user_model):
    return django_user_model.objects.create_user("staffer", is_staff=True)


def test_staff_without_permissions_cannot_see_or_retry_imports(client, plain_staff, batch):
    client.force_login(plain_staff)
    assert (
        client.get(reverse("admin:imports_importbatch_progress", args=[batch.pk])).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:imports_importbatch_retry", args=[batch.pk])).status_code == 403
    )
    assert client.get(reverse("admin:imports_importbatch_import")).status_code == 403


def test_viewing_imports_is_not_enough_to_import(client, plain_staff, batch):
    plain_staff.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    client.force_login(plain_staff)
    assert (
        client.get(reverse("admin:imports_importbatch_progress", args=[batch.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:imports_importbatch_import")).status_code == 403
    plain_staff.user_permissions.add(Permission.objects.get(codename="add_article"))
    assert client.get(reverse("admin:imports_importbatch_import")).status_code == 200


def test_the_progress_page_varies_on_htmx(client, admin_user, batch):
    client.force_login(admin_user)
    response = client.get(reverse("admin:imports_importbatch_progress", args=[batch.pk]))
    assert "HX-Request" in response["Vary"]


def test_a_used_invitation_cannot_be_withdrawn(team, owner, teammate):
    invitation, _ = invite(team, owner, "member")
    Invitation.objects.filter(pk=invitation.pk).update(
        used_by=teammate, used_at="2026-01-01T00:00:00Z"
    )
    revoke_invitation(team, owner, invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
