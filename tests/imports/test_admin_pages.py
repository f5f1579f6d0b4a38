"""The admin's import pages: upload, background run, progress, report, retry."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Highlight
from imports.models import ImportBatch, ImportItem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
PAGE = (
    "<html><head><title>{t}</title></head><body><article><h1>{t}</h1>"
    + (
        "<p>The ferry council met again to argue about batteries, bridges and budgets, "
        "and agreed on nothing except the date of the next meeting.</p>" * 3
    )
    + "</article></body></html>"
)


@pytest.fixture
def staff(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(admin_user)
    return client


def upload(client, team, name, content, format="auto"):
    return client.post(
        reverse("admin:imports_importbatch_import"),
        {"team": team.pk, "format": format, "files": [SimpleUploadedFile(name, content)]},
    )


def test_the_import_page_is_for_staff_only(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:imports_importbatch_import"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_upload_runs_and_reports(staff, team, settings):
    rows = [{"title": f"Story {n}", "html": PAGE.format(t=f"Story {n}")} for n in range(3)]
    rows.append({"title": "Nothing", "url": "ftp://example.org/x"})
    content = "\n".join(json.dumps(row) for row in rows).encode()
    response = upload(staff, team, "mine.jsonl", content)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:imports_importbatch_progress", args=[batch.pk])
    # The upload is kept under a generated name, never the uploaded one.
    stored = list((Path(settings.MEDIA_ROOT) / "imports").iterdir())
    assert len(stored) == 1 and stored[0].name != "mine.jsonl" and stored[0].suffix == ".jsonl"
    assert batch.files[0]["name"] == "mine.jsonl"
    page = staff.get(response.url).content.decode()
    assert "4 of 4" in page and "3 created, 0 duplicates skipped, 1 failed" in page
    assert "mine.jsonl, line 4" in page
    assert Article.objects.filter(team=team).count() == 3


def test_progress_is_a_fragment_for_htmx_and_polls_while_running(staff, team):
    content = json.dumps({"title": "A", "html": PAGE.format(t="A")}).encode()
    upload(staff, team, "a.jsonl", content)
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="running", heartbeat_at=batch.created_at.now(batch.created_at.tzinfo)
    )
    url = reverse("admin:imports_importbatch_progress", args=[batch.pk])
    fragment = staff.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="import-progress"') and 'hx-trigger="every 2s"' in fragment


def test_a_file_level_error_is_shown_on_the_form_and_nothing_is_written(staff, team):
    response = upload(staff, team, "broken.json", b'[{"title": "a"', format="json")
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not ImportBatch.objects.exists() and not Article.objects.exists()


def test_failed_items_can_be_retried_from_the_report(staff, team, monkeypatch):
    from imports import batches

    real = batches.extraction.extract

    def broken(*args, **kwargs):
        raise batches.extraction.ExtractionError("temporarily broken")

    monkeypatch.setattr(batches.extraction, "extract", broken)
    upload(staff, team, "a.jsonl", json.dumps({"title": "A", "html": PAGE.format(t="A")}).encode())
    batch = ImportBatch.objects.get()
    assert batch.items.get().status == ImportItem.Status.FAILED
    monkeypatch.setattr(batches.extraction, "extract", real)
    response = staff.post(reverse("admin:imports_importbatch_retry", args=[batch.pk]), follow=True)
    assert b"1 created, 0 duplicates skipped, 0 failed" in response.content
    assert staff.get(reverse("admin:imports_importbatch_retry", args=[batch.pk])).status_code == 405


def zipped(directory, archive):
    import zipfile

    with zipfile.ZipFile(archive, "w") as out:
        for member in sorted(directory.rglob("*")):
            if member.is_file():
                out.write(member, member.relative_to(directory))
    return archive


@pytest.mark.parametrize("fixture", ["wallabag-export.json", "omnivore", "files"])
def test_exports_with_content_and_highlights_through_the_admin(staff, team, fixture, tmp_path):
    path = FIXTURES / fixture
    if path.is_dir():
        path = zipped(path, tmp_path / f"{fixture}.zip")
    upload(staff, team, path.name, path.read_bytes())
    batch = ImportBatch.objects.get()
    assert batch.status == "finished"
    assert batch.created_count > 0, list(batch.items.values_list("source", "reason"))
    if fixture != "files":
        assert Highlight.objects.filter(article__team=team).exists()


@pytest.fixture
def local_site(settings):
    """A local web server for the URLs of a Pocket export (no internet here)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            body = PAGE.format(t=f"Fetched {self.path}").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_pocket_export_is_fetched_through_the_safe_fetcher(staff, team, local_site):
    rows = [
        "title,url,time_added,cursor,tags,status",
        f"Tide pools,{local_site}/tide-pools,1709290800,1,ecology|coast,unread",
        f"Night trains,{local_site}/night-trains,1711965600,2,,archive",
        "Private,http://10.1.2.3/secret,1711965600,3,,unread",
    ]
    upload(staff, team, "pocket.csv", "\n".join(rows).encode())
    batch = ImportBatch.objects.get()
    assert (batch.created_count, batch.failed_count) == (2, 1)
    assert "private address" in batch.items.get(status="failed").reason
    tide = Article.objects.get(source_url=f"{local_site}/tide-pools")
    assert set(tide.tags.values_list("name", flat=True)) == {"ecology", "coast"}


def test_an_interrupted_import_shows_and_can_be_resumed(staff, team, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from imports import batches

    rows = [{"title": f"S{n}", "html": PAGE.format(t=f"S{n}")} for n in range(3)]
    content = "\n".join(json.dumps(row) for row in rows).encode()
    from imports import admin as import_admin

    class NoWorker:
        enqueued = []

        def enqueue(self, batch_id):
            self.enqueued.append(batch_id)

    monkeypatch.setattr(import_admin, "run_import", NoWorker())
    upload(staff, team, "a.jsonl", content)  # staged, but no worker picks it up...
    batch = ImportBatch.objects.get()
    # ...then one started it and died a while ago.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(minutes=5)
    )
    url = reverse("admin:imports_importbatch_progress", args=[batch.pk])
    page = staff.get(url).content.decode()
    assert "interrupted" in page and "Resume the import" in page
    staff.post(reverse("admin:imports_importbatch_retry", args=[batch.pk]))
    assert NoWorker.enqueued == [batch.pk, batch.pk]  # queued again for a worker
    batches.run_batch(batch)  # what the worker does
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("finished", 3)
    assert batches.run_batch(batch).created_count == 3  # running it again changes nothing


# --- Permissions and caching ----------------------------------------------------------------------


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
