"""newsreader/lib imports without Django: every module, in a Python where Django cannot load."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: this one has Django loaded already.
SCRIPT = """
import importlib
import importlib.abc
import pkgutil
import sys
import traceback


class NoDjango(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ModuleNotFoundError(f"blocked by the test: {name}", name=name)
        return None


sys.meta_path.insert(0, NoDjango())
sys.path.insert(0, sys.argv[1])

import newsreader.lib

names = ["newsreader.lib"]
names += [
    info.name
    for info in pkgutil.walk_packages(
        newsreader.lib.__path__, "newsreader.lib.", onerror=names.append
    )
]
for name in names:
    try:
        importlib.import_module(name)
    except BaseException:
        print(f"importing {name} failed:", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
loaded = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
if loaded:
    print(f"Django modules were loaded: {loaded}", file=sys.stderr)
    sys.exit(1)
print(len(names))
"""


def test_the_library_imports_with_django_blocked():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 20  # the walk found the modules
