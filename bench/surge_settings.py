"""Settings for bench/intake_surge.py only: the real settings, plus the floor view's URL."""

from __future__ import annotations

from safepassage.settings import *  # noqa: F403 - the real stack, unchanged

ROOT_URLCONF = "bench.surge_urls"
