"""The journal verbs import what they use: not every page's views (and with them PyAV and NumPy)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from afterglow import cli_apps
from tests.vault.conftest import cli_env, ok, run


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("lean") / "home"
    ok(run(home, "init"))
    ok(run(home, "write", "the owl called twice"))
    return home


@pytest.mark.parametrize("args", [("list",), ("search", "owl"), ("write", "and the fox answered")])
def test_a_journal_verb_loads_no_page_views(home, args):
    command = [sys.executable, "-X", "importtime", "-m", "afterglow", *args]
    done = subprocess.run(command, env=cli_env(home), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "django.db" in imported  # the direct way: Django and the journal
    assert not imported & {"afterglow.urls", "numpy", "av"}


# Runs the real entry point, and when it ends (os._exit, as list/search/write do) writes the
# modules it imported and how logging was set up to stdout's end, after a marker line.
WATCH = """
import json, logging, os, sys
real_exit = os._exit
def watched_exit(code):
    sys.stdout.flush()
    loggers = {name: [logging.getLogger(name).level, [type(h).__name__ for h in logging.getLogger(name).handlers]]
               for name in ("django", "django.db.backends", "afterglow")}
    os.write(1, ("\\n--watch--\\n" + json.dumps({"modules": sorted(sys.modules), "loggers": loggers})).encode())
    real_exit(code)
os._exit = watched_exit
sys.argv = ["afterglow", *sys.argv[1:]]
from afterglow.__main__ import main
main()
"""
# Modules a quick verb must not load: page views, media decoders, PDF, the task queue (and the admin
# its type patch imports), TOTP, servers.
HEAVY = {
    "PIL", "numpy", "av", "weasyprint", "matplotlib", "onnxruntime", "segno", "cheroot", "markdown", "waitress",
    "afterglow.urls", "django.contrib.admin", "django.views.debug", "django_tasks", "django_stubs_ext", "django_otp",
    "csp",
}  # fmt: skip
# ~800 before issue 21's cold-path work, 673-676 after it (with the test settings); a new import
# of a few modules fits, a new heavy dependency at start does not.
MODULE_BUDGET = 700


def watched(home, *args: str) -> tuple[str, dict]:
    done = subprocess.run([sys.executable, "-c", WATCH, *args], env=cli_env(home), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    output, _, seen = done.stdout.partition("\n--watch--\n")
    return output, json.loads(seen)


@pytest.mark.parametrize("args", [("list", "-n", "3"), ("search", "owl"), ("write", "the owl again")])
def test_it_keeps_a_cold_journal_verb_to_the_modules_it_uses(home, args):
    output, seen = watched(home, *args)
    assert output.strip()  # the verb did its work on the direct path (no server is running)
    modules = set(seen["modules"])
    assert "afterglow.journal.models" in modules
    assert not {m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY or m.startswith("django.contrib.admin.")}
    assert len(modules) <= MODULE_BUDGET, f"{len(modules)} modules imported"


def test_it_sets_up_logging_as_django_would_without_its_defaults(home):
    _, quick = watched(home, "list")
    # The same three loggers after Django's own setup (with its default logging first).
    code = (
        "import django, json, logging; django.setup();"
        "print(json.dumps({n: [logging.getLogger(n).level, [type(h).__name__ for h in logging.getLogger(n).handlers]]"
        " for n in ('django', 'django.db.backends', 'afterglow')}))"
    )
    full = subprocess.run([sys.executable, "-c", code], env=cli_env(home), capture_output=True, text=True, timeout=120)
    assert full.returncode == 0, full.stderr[-500:]
    assert quick["loggers"] == json.loads(full.stdout)
    assert quick["loggers"]["afterglow"] == [logging.INFO, ["StreamHandler"]]


def test_it_leaves_out_no_app_whose_models_a_quick_verb_may_touch(monkeypatch):
    from django.conf import settings

    monkeypatch.setattr(cli_apps, "_quick", True)
    assert cli_apps.lean(clinic=False)
    kept = cli_apps.installed(list(settings.INSTALLED_APPS))
    every_own_app = {app for app in settings.INSTALLED_APPS if app.startswith("afterglow.")}
    assert every_own_app <= set(kept)
    assert {"django.contrib.auth", "django.contrib.contenttypes"} <= set(kept)
    assert not set(kept) & cli_apps.NOT_FOR_QUICK_VERBS


def test_it_keeps_every_app_in_clinic_mode_and_for_other_verbs(monkeypatch):
    assert not cli_apps.lean(clinic=False)  # nothing asked for it: serve, tests, every other verb
    monkeypatch.setattr(cli_apps, "_quick", True)
    assert not cli_apps.lean(clinic=True)
