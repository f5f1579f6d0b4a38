"""The Django-free library: what the apps use but that needs no database.

Extraction, import-format parsers, anchoring, marks, note Markdown, article
fingerprints (normalised URL, content hash) and the SSRF-safe fetcher. Nothing
here imports Django (tests/lib/test_no_django.py keeps it so): it is fast to
test, and the benchmarks, the worker processes and the command line can use it
without setting Django up.
"""
