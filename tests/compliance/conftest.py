from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """Uploaded screenshots never land in the repository."""
    settings.MEDIA_ROOT = tmp_path
