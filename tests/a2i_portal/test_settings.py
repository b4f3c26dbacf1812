import stat

from django.conf import settings
from django.db import connection

from a2i_portal.settings import read_or_create_secret


def test_a_secret_key_is_generated_once_and_kept_private(tmp_path):
    path = tmp_path / "secret_key"

    first = read_or_create_secret(path)

    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_or_create_secret(path) == first


def test_the_secret_key_is_not_a_constant_of_the_repository():
    assert settings.SECRET_KEY
    assert "django-insecure" not in settings.SECRET_KEY


def test_debug_is_off_unless_asked():
    assert settings.DEBUG is False


def test_sqlite_transactions_take_the_write_lock_when_they_open():
    if connection.vendor != "sqlite":
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
