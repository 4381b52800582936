"""Settings for the test suite: the project's own settings, with what tests need
decided before Django starts (pytest reads this module, see pyproject.toml)."""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

# Metrics as production keeps them across processes (prometheus_client's multiprocess
# mode, chosen from the environment when the library is first imported, so here), in a
# folder of this run's own that tests/conftest.py removes; processes a test starts
# inherit it.
METRICS_TEST_DIR = None
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    METRICS_TEST_DIR = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kr-test-metrics-")

# Background tasks run at once, in the test's own transaction, so tests can assert on them.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "mail", "bulk", "uploads"],
    }
}
# Hashing real passwords costs a second per test user.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No manifest: tests do not need collectstatic to have run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads and generated files never land in the developer's own media folders.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kr-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kr-test-private-"))
# The demo command has tests of its own.
if "demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# Static files straight from the apps and node_modules, without collectstatic.
WHITENOISE_USE_FINDERS = True
