"""Media on object storage: the backend chosen by the S3_* variables, and import
uploads kept and read through the default storage, whatever it is."""

import json
import os
import subprocess
import sys

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from imports.models import ImportBatch


def storages_with(env):
    code = "import json, newsreader.settings as s; print(json.dumps(s.STORAGES['default']))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "x" * 50, "PYTHONPATH": os.getcwd(), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_files_stay_on_disk_without_a_bucket():
    backend = storages_with({})
    assert backend["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_puts_media_on_object_storage(settings):
    backend = storages_with(
        {
            "S3_BUCKET": "newsreader-media",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "S3_REGION": "eu-west-1",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_PREFIX": "/team-a/",
        }
    )
    assert backend["BACKEND"] == "storages.backends.s3.S3Storage"
    options = backend["OPTIONS"]
    assert options["bucket_name"] == "newsreader-media"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["location"] == "team-a"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    # The backend loads with these options (no request is made until a file is).
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    storage = storages.create_storage(backend)
    assert type(storage).__name__ == "S3Storage"
    assert storage.bucket_name == "newsreader-media"
    assert storage.endpoint_url == "http://127.0.0.1:9000"


@pytest.fixture
def object_storage(settings):
    # Django's in-memory storage keeps no file on disk, like object storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield storages["default"]


def test_an_import_upload_goes_to_object_storage_and_is_read_back(
    client, admin_user, team, object_storage
):
    client.force_login(admin_user)
    page = "<html><head><title>Ferries</title></head><body><article><h1>Ferries</h1>{}</article>"
    text = "<p>The ferry council met again to argue about batteries and bridges.</p>" * 5
    row = {"title": "Ferries", "html": page.format(text)}
    response = client.post(
        reverse("admin:imports_importbatch_import"),
        {
            "team": team.pk,
            "format": "auto",
            "files": [SimpleUploadedFile("mine.jsonl", json.dumps(row).encode())],
        },
    )
    assert response.status_code == 302
    stored = ImportBatch.objects.get().files[0]["stored"]
    assert object_storage.exists(f"imports/{stored}")
    assert Article.objects.filter(team=team, title="Ferries").exists()
