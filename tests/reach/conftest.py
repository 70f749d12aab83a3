"""The digest's real SMTP server (aiosmtpd on loopback) serves these tests too."""

from tests.digest.conftest import smtp_server  # noqa: F401  (fixture)
