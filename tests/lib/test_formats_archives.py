"""ZIP archives and directories: limits, bombs, damage, hostile names, odd members, Omnivore."""

import os
import stat
import zipfile
from pathlib import Path

import pytest

from newsreader.lib.formats import (
    ImportedHighlight,
    ImportFileError,
    archives,
    detect_format,
    parse_file,
)
from newsreader.lib.formats.archives import parse_omnivore_highlights

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
HTML = b"<html><body><p>An article.</p></body></html>"


def make_zip(path: Path, members, compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def items(path, format="auto"):  # noqa: A002
    return list(parse_file(path, format))


def file_error(path, format="auto") -> str:  # noqa: A002
    with pytest.raises(ImportFileError) as info:
        list(parse_file(path, format))
    return str(info.value)


def set_central_flag(path: Path, member_index: int, bit: int):
    """Set a flag bit of one member in the central directory (walked from the end record)."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    position = int.from_bytes(data[end + 16 : end + 20], "little")
    for _ in range(member_index):
        lengths = [
            int.from_bytes(data[position + o : position + o + 2], "little") for o in (28, 30, 32)
        ]
        position += 46 + sum(lengths)
    assert data[position : position + 4] == b"PK\x01\x02"
    data[position + 8] |= bit
    path.write_bytes(bytes(data))


# --- Member count ----------------------------------------------------------------------------


def test_too_many_members_is_refused_before_the_directory_is_loaded(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_ARCHIVE_MEMBERS", 3)
    path = make_zip(tmp_path / "many.zip", [(f"{n}.html", HTML) for n in range(4)])

    def no_zipfile(*args, **kwargs):
        raise AssertionError("the central directory must not be loaded")

    monkeypatch.setattr(archives.zipfile, "ZipFile", no_zipfile)
    assert file_error(path) == "many.zip has 4 entries; the limit is 3."


def test_the_count_is_checked_again_after_loading(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_ARCHIVE_MEMBERS", 3)
    monkeypatch.setattr(archives, "_end_record_counts", lambda path: None)
    path = make_zip(tmp_path / "many.zip", [(f"{n}.html", HTML) for n in range(4)])
    assert file_error(path) == "many.zip has 4 entries; the limit is 3."


def test_the_zip64_end_record_is_read(tmp_path):
    path = make_zip(tmp_path / "huge.zip", [(f"{n}", b"") for n in range(65_536)])
    assert archives._end_record_counts(path)[0] == 65_536
    assert file_error(path) == "huge.zip has 65,536 entries; the limit is 10,000."


def test_a_huge_table_of_contents_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_CENTRAL_DIRECTORY_BYTES", 100)
    path = make_zip(tmp_path / "names.zip", [("x" * 200 + ".html", HTML)])
    assert file_error(path) == "names.zip: its table of contents is too large to read."


# --- Sizes and bombs ---------------------------------------------------------------------------


def test_the_total_size_is_counted_while_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_ARCHIVE_BYTES", 10_000)
    body = b"".join(b"<p>%d</p>" % n for n in range(500))[:4000]
    members = [(f"{n}.html", body) for n in range(3)]
    path = make_zip(tmp_path / "big.zip", members, zipfile.ZIP_STORED)
    generator = parse_file(path)
    with pytest.raises(ImportFileError) as info:
        next(generator)  # refused before the first item
    assert str(info.value) == "big.zip: its files add up to more than 0 MB; import it in parts."


def test_headers_claiming_small_sizes_do_not_help(tmp_path, monkeypatch):
    # The sizes in the headers are ignored: a lying one makes the data fail its CRC.
    path = make_zip(tmp_path / "liar.zip", [("a.html", HTML * 1000)])
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size
    data[22:26] = (10).to_bytes(4, "little")  # and in the local header
    path.write_bytes(bytes(data))
    assert "the archive is damaged" in file_error(path)


def test_a_zip_bomb_member_is_refused(tmp_path):
    path = make_zip(tmp_path / "bomb.zip", [("ok.html", HTML), ("bomb.html", b"\0" * (3 << 20))])
    assert file_error(path) == (
        "bomb.zip: bomb.html inflates more than 100:1, like a ZIP bomb; the archive is refused."
    )


def test_small_repetitive_files_are_not_taken_for_bombs(tmp_path):
    spaces = b"<p>" + b" " * 500_000 + b"</p>"
    (item,) = items(make_zip(tmp_path / "spaces.zip", [("spaces.html", spaces)]))
    assert item.content == spaces and not item.error


# --- Damaged and wrong files --------------------------------------------------------------------


def test_damaged_data_is_a_file_error(tmp_path):
    path = make_zip(tmp_path / "broken.zip", [("a.html", HTML * 50)])
    data = bytearray(path.read_bytes())
    data[40:60] = b"\xff" * 20  # inside the compressed data
    path.write_bytes(bytes(data))
    assert file_error(path).startswith("broken.zip: a.html cannot be read: the archive is damaged")


def test_a_truncated_zip_is_a_file_error(tmp_path):
    path = make_zip(tmp_path / "cut.zip", [("a.html", HTML)])
    path.write_bytes(path.read_bytes()[:-30])
    assert file_error(path).startswith("cut.zip is not a readable ZIP archive")


def test_a_zip_in_name_only(tmp_path):
    path = tmp_path / "fake.zip"
    path.write_text("hello")
    assert file_error(path) == "fake.zip is named .zip but is not a ZIP archive."


def test_an_archive_with_no_articles_is_a_file_error(tmp_path):
    path = make_zip(tmp_path / "images.zip", [("a.png", b"\x89PNG"), (".hidden.html", HTML)])
    assert file_error(path) == "images.zip holds no .html, .htm, .txt or .md files to import."


# --- Names -----------------------------------------------------------------------------------


def test_member_names_are_never_used_as_paths(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing is extracted")

    monkeypatch.setattr(zipfile.ZipFile, "extract", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", refuse)
    work = tmp_path / "work"
    work.mkdir()
    path = make_zip(
        work / "evil.zip",
        [("../../escape.html", HTML), ("/etc/absolute.html", HTML), ("dir\\win.html", HTML)],
    )
    monkeypatch.chdir(work)
    found = items(path)
    assert sorted(item.source for item in found) == [
        "evil.zip: ../../escape.html",
        "evil.zip: /etc/absolute.html",
        "evil.zip: dir/win.html",
    ]
    assert sorted(item.filename for item in found) == ["absolute.html", "escape.html", "win.html"]
    assert all(item.content == HTML and not item.error for item in found)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["evil.zip", "work"]


def test_utf8_names_without_the_utf8_flag_are_decoded(tmp_path):
    path = make_zip(tmp_path / "names.zip", [("cafXX.html", HTML)])
    path.write_bytes(path.read_bytes().replace(b"cafXX", "café".encode()))
    (item,) = items(path)
    assert (item.source, item.filename) == ("names.zip: café.html", "café.html")


def test_control_characters_in_names_are_made_printable(tmp_path):
    (item,) = items(make_zip(tmp_path / "ctl.zip", [("a\x1bb\n.html", HTML)]))
    assert item.source == "ctl.zip: a\ufffdb\ufffd.html"


# --- Odd members ---------------------------------------------------------------------------------


def test_odd_members_are_reported_or_skipped(tmp_path):
    link = zipfile.ZipInfo("link.html")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    inner = make_zip(tmp_path / "inner.zip", [("x.html", HTML)]).read_bytes()
    path = tmp_path / "odd.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.html", HTML)
        zf.writestr(link, "/etc/passwd")
        zf.writestr("nested.zip", inner)
        zf.writestr("zip-inside.html", inner)
        zf.writestr("secret.html", HTML)
        zf.writestr("__MACOSX/._a.html", b"\0\5\x16\7")
        zf.writestr(".DS_Store", b"\0\0\0\1Bud1")
        zf.writestr("photos/", b"")
        zf.writestr("photos/cat.jpg", b"\xff\xd8\xff")
        zf.writestr("notes.txt", b"")
    set_central_flag(path, 4, 0x1)  # secret.html: encrypted
    found = {item.source.removeprefix("odd.zip: "): item.error for item in items(path)}
    assert found == {
        "a.html": "",
        "link.html": "It is a symbolic link; links are not followed.",
        "nested.zip": "It is an archive inside the archive; it is not opened.",
        "zip-inside.html": (
            "It is a ZIP archive, not an article; archives inside archives are not opened."
        ),
        "secret.html": "It is encrypted; encrypted files cannot be imported.",
        "notes.txt": "It is empty.",
    }


def test_nul_bytes_mean_a_binary_file_but_utf16_text_is_fine(tmp_path):
    utf16 = "<p>Grüße</p>".encode("utf-16")
    path = make_zip(tmp_path / "bin.zip", [("a.txt", b"abc\0def"), ("b.html", utf16)])
    first, second = items(path)
    assert first.error == "It contains a NUL byte: it is not a text file."
    assert (second.content, second.error) == (utf16, "")


# --- Directories -------------------------------------------------------------------------------


def test_directories_have_the_same_limits(tmp_path, monkeypatch):
    folder = tmp_path / "folder"
    folder.mkdir()
    for n in range(4):
        (folder / f"{n}.html").write_bytes(HTML * 10)
    monkeypatch.setattr(archives, "MAX_ARCHIVE_BYTES", 1000)
    assert file_error(folder) == "folder: its files add up to more than 0 MB; import it in parts."
    monkeypatch.setattr(archives, "MAX_ARCHIVE_MEMBERS", 3)
    assert file_error(folder) == "folder holds more than 3 files; import it in parts."


def test_symlinks_in_a_directory_are_reported_not_followed(tmp_path):
    outside = tmp_path / "secret.html"
    outside.write_bytes(b"<p>secret</p>")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.html").write_bytes(HTML)
    os.symlink(outside, folder / "link.html")
    first, second = items(folder)
    assert (first.source, first.error) == ("folder/a.html", "")
    assert second.source == "folder/link.html"
    assert second.error == "It is a symbolic link; links are not followed."
    assert second.content is None


def test_a_single_file_of_another_kind_is_refused_by_the_files_format(tmp_path):
    assert file_error(FIXTURES / "pocket.csv", "files") == (
        "pocket.csv: the files format takes .html, .htm, .txt or .md files, "
        "a directory or a ZIP archive of them."
    )


# --- Omnivore details ----------------------------------------------------------------------------


def test_omnivore_highlight_files():
    text = (
        "Article note.\r\n\r\nSecond paragraph of it.\r\n\r\n"
        "> First quote \r\n\r\n#one #two\r\n\r\nIts note.\r\n\r\nMore of its note.\r\n\r\n"
        "> Second\r\n> \r\nquote, lazily continued \r\n\r\n"
        ">No space after the marker\r\n"
    )
    note, highlights = parse_omnivore_highlights(text)
    assert note == "Article note.\n\nSecond paragraph of it."
    assert highlights == [
        ImportedHighlight(exact="First quote", note="Its note.\n\nMore of its note."),
        ImportedHighlight(exact="Second\n\nquote, lazily continued"),
        ImportedHighlight(exact="No space after the marker"),
    ]


def test_a_hashtag_note_is_only_skipped_right_after_the_quote():
    _, highlights = parse_omnivore_highlights("> Quote\n\nA note first.\n\n#not-labels\n")
    assert highlights == [ImportedHighlight(exact="Quote", note="A note first.\n\n#not-labels")]


def test_omnivore_metadata_problems_are_file_errors(tmp_path):
    path = make_zip(tmp_path / "o.zip", [("metadata_0_to_1.json", b'{"not": "a list"}')])
    assert (
        file_error(path) == "o.zip: metadata_0_to_1.json: Omnivore metadata is an array of entries."
    )
    path = make_zip(tmp_path / "o.zip", [("metadata_0_to_1.json", b"[{")])
    assert file_error(path).startswith("o.zip: metadata_0_to_1.json: not valid JSON")
    path = make_zip(tmp_path / "o.zip", [("a.html", HTML)])
    assert file_error(path, "omnivore") == (
        "o.zip has no metadata_*.json file: it is not an Omnivore export."
    )


def test_an_encrypted_omnivore_content_file_is_an_item_error(tmp_path):
    metadata = b'[{"slug": "a", "title": "A", "url": "https://a.example", "savedAt": null}]'
    path = make_zip(
        tmp_path / "o.zip", [("metadata_0_to_1.json", metadata), ("content/a.html", HTML)]
    )
    set_central_flag(path, 1, 0x1)
    assert detect_format(path) == "omnivore"
    (item,) = items(path)
    assert item.error == "content/a.html: It is encrypted; encrypted files cannot be imported."
    assert item.content is None
