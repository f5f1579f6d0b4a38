import gzip
import json
import sys
import zlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsreader.lib.extraction import ExtractionError, extract


def _input_files(paths):
    """Files named, and files inside directories named (sorted), in order."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def _read(path):
    """(bytes, filename used for type detection); .gz files are decompressed."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.decompress(data), path.stem
    return data, path.name


class Command(BaseCommand):
    help = (
        "Print the extraction of article files (HTML, plain text or Markdown; .gz read "
        "transparently) without touching the database. Several files or a directory give "
        "JSON Lines, one object per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--url", default="", help="the page's URL, to resolve relative links")
        parser.add_argument("--format", choices=["json", "html", "text"], default="json")

    def handle(self, *args, paths, url, format, **options):
        files = list(_input_files(paths))
        if not files:
            raise CommandError("No input files found.")
        if len(files) == 1 and not Path(paths[0]).is_dir():
            self._single(files[0], url, format)
        else:
            self._many(files, url, format)

    def _single(self, path, url, output_format):
        try:
            data, name = _read(path)
            result = extract(data, url=url, filename=name)
        except (OSError, EOFError, zlib.error, ExtractionError) as error:
            raise CommandError(f"{path}: {error}") from None
        if output_format == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(result.html if output_format == "html" else result.text)

    def _many(self, files, url, output_format):
        failed = 0
        for path in files:
            try:
                data, name = _read(path)
                result = extract(data, url=url, filename=name)
            except (OSError, EOFError, zlib.error, ExtractionError) as error:
                failed += 1
                row = {"path": str(path), "error": str(error)}
            else:
                row = {"path": str(path)}
                if output_format == "json":
                    row.update(result.as_json())
                else:
                    row[output_format] = result.html if output_format == "html" else result.text
            self.stdout.write(json.dumps(row, ensure_ascii=False))
        if failed:
            self.stderr.write(f"{failed} of {len(files)} files failed.")
            sys.exit(1)
