from __future__ import annotations

import pytest

from sigill.inquiries.models import Inquiry
from sigill.organisation.models import User
from tests.inquiries.fixtures import forward


@pytest.fixture
def charlies_question(charlie: User) -> Inquiry:
    return forward(charlie)
