import pytest

from services.scheduling.application import build_application


@pytest.fixture
def app(settings):
    """Scheduling's application on this test's own store."""
    app = build_application(settings)
    yield app
    app.close()
