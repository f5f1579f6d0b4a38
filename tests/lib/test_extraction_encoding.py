import codecs

import pytest

from newsreader.lib.extraction import extract
from newsreader.lib.extraction.encoding import decode_bytes

TEXT = "Café “naïve” — Größe"


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    ],
)
def test_a_byte_order_mark_wins(bom, codec, name):
    data = bom + TEXT.encode(codec)
    assert decode_bytes(data, content_type="text/plain; charset=iso-8859-5") == (TEXT, name)


def test_the_transport_charset_comes_next():
    data = "Привет, мир".encode("koi8_r")
    assert decode_bytes(data, content_type="text/plain; charset=KOI8-R") == (
        "Привет, мир",
        "koi8-r",
    )


def test_html_declares_its_own_charset():
    data = '<meta charset="iso-8859-2"><p>Łódź</p>'.encode("iso-8859-2")
    text, charset = decode_bytes(data, is_html=True)
    assert "Łódź" in text
    assert charset == "iso8859-2"


def test_the_old_http_equiv_form_is_understood():
    data = '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis"><p>日本語</p>'
    text, charset = decode_bytes(data.encode("shift_jis"), is_html=True)
    assert "日本語" in text and charset == "shift_jis"


def test_latin_1_labels_decode_as_windows_1252_like_browsers_do():
    data = '<meta charset="ISO-8859-1"><p>“quoted” café</p>'.encode("cp1252")
    text, charset = decode_bytes(data, is_html=True)
    assert "“quoted” café" in text and charset == "windows-1252"


def test_a_wrong_declaration_falls_back_to_detection():
    data = '<meta charset="utf-8"><p>café “x”</p>'.encode("cp1252")
    text, charset = decode_bytes(data, is_html=True)
    assert "café “x”" in text and charset == "windows-1252"


def test_an_unknown_charset_label_is_ignored():
    data = TEXT.encode("utf-8")
    assert decode_bytes(data, content_type="text/plain; charset=no-such-thing") == (TEXT, "utf-8")


def test_undeclared_utf8_is_recognised():
    assert decode_bytes(TEXT.encode("utf-8")) == (TEXT, "utf-8")


def test_anything_else_is_windows_1252_and_never_fails():
    text, charset = decode_bytes(b"caf\xe9 \x93x\x94 \x81\x8d")
    assert charset == "windows-1252"
    assert text.startswith("café “x”")


def test_a_meta_charset_is_not_trusted_for_plain_text():
    data = '<meta charset="koi8-r"> is just text here: café'.encode()
    assert decode_bytes(data, is_html=False)[1] == "utf-8"


def test_the_charset_used_is_recorded_on_the_extraction():
    page = "<html><head><meta charset='windows-1252'><title>T</title></head><body>"
    page += "<article><p>" + "Crème brûlée for everyone at the fête. " * 20 + "</p></article>"
    result = extract((page + "</body></html>").encode("cp1252"))
    assert result.charset == "windows-1252"
    assert "Crème brûlée" in result.text
