"""The committed Crowd HTML Elements bundle is built from its current sources."""

from __future__ import annotations

import subprocess
import sys

from tests.browser.conftest import ROOT


def test_the_built_bundle_matches_its_sources():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build-crowd-elements"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
