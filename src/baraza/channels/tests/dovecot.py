"""A real IMAP server for the e-mail tests: Dovecot (Debian's dovecot-imapd) on a free loopback
port, with its own configuration, one user with a plaintext password in a passwd-file and
maildir storage, all in a temporary directory, stopped after the test.

Test modules import the fixture: `from baraza.channels.tests.dovecot import dovecot_fixture`.
It fails (never skips) where Dovecot is missing: CI installs it through `make test`.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from imap_tools import AND, MailBoxUnencrypted

DOVECOT = Path("/usr/sbin/dovecot")
HOST = "127.0.0.1"
# Characters a URL must quote, so the tests prove BARAZA_EMAIL_INTAKE_IMAP_URL is unquoted.
USER = "tips@baraza.test"
PASSWORD = "s3cret/p@ss word"
START_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    log: Path

    def url(self, *, password: str | None = None, folder: str = "INBOX") -> str:
        """BARAZA_EMAIL_INTAKE_IMAP_URL for this server."""
        user = quote(self.user, safe="")
        secret = quote(self.password if password is None else password, safe="")
        return f"imap://{user}:{secret}@{self.host}:{self.port}/{quote(folder)}"

    def mailbox(self) -> MailBoxUnencrypted:
        return MailBoxUnencrypted(self.host, self.port, timeout=10).login(self.user, self.password)

    def deliver(self, *raws: bytes) -> None:
        """Put messages in the INBOX, unseen, as a mail server's delivery agent would."""
        with self.mailbox() as box:
            for raw in raws:
                box.append(raw, "INBOX")

    def unseen(self) -> int:
        with self.mailbox() as box:
            return len(box.uids(AND(seen=False)))

    def seen(self) -> int:
        with self.mailbox() as box:
            return len(box.uids(AND(seen=True)))


def _users(mail_root: Path) -> tuple[str, str, str]:
    """Who Dovecot's processes run as: as root, login processes must not be root and mail
    may not be read as uid 0, so they take Debian's dovenull and nobody; otherwise all run as
    the current user."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return me, me, me
    login = "dovenull" if _user_exists("dovenull") else "nobody"
    mail = pwd.getpwnam("nobody")
    os.chown(mail_root, mail.pw_uid, mail.pw_gid)
    return "root", login, mail.pw_name


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _config(base: Path, mail_root: Path, port: int) -> str:
    internal, login, mail = _users(mail_root)
    mail_group = grp.getgrgid(pwd.getpwnam(mail).pw_gid).gr_name
    internal_group = grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name
    # Only root may chroot the login processes.
    chroot = "" if os.geteuid() == 0 else "chroot ="
    return f"""
protocols = imap
listen = {HOST}
base_dir = {base}/run
state_dir = {base}/state
instance_name = baraza-test-{port}
log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
mail_uid = {mail}
mail_gid = {mail_group}
mail_location = maildir:{mail_root}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = home={mail_root}/%u
}}
service imap-login {{
  {chroot}
  inet_listener imap {{
    address = {HOST}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
# No penalty delays after the wrong-password test: later logins answer at once.
service anvil {{
  {chroot}
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _wait_for_greeting(process: subprocess.Popen[bytes], port: int, base: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection((HOST, port), timeout=1) as connection:
                if connection.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    logs = [
        path.read_text() for path in (base / "output.log", base / "dovecot.log") if path.exists()
    ]
    pytest.fail(f"Dovecot did not start on {HOST}:{port}:\n" + "\n".join(logs))


@pytest.fixture(name="dovecot")
def dovecot_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    if not DOVECOT.exists():
        pytest.fail(
            f"{DOVECOT} is missing: the e-mail tests need a real IMAP server. `make test` "
            "installs Debian's dovecot-imapd (or run: apt-get install dovecot-imapd)."
        )
    base = tmp_path_factory.mktemp("dovecot")
    # Mail is read as an unprivileged user, who cannot enter pytest's private temporary tree.
    mail_root = Path(tempfile.mkdtemp(prefix="baraza-dovecot-mail-"))
    port = free_port()
    (base / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    config = base / "dovecot.conf"
    config.write_text(_config(base, mail_root, port))
    with (base / "output.log").open("wb") as output:
        # A fixed binary and our own config.
        process = subprocess.Popen(  # noqa: S603
            [str(DOVECOT), "-F", "-c", str(config)], stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_for_greeting(process, port, base)
        yield Dovecot(HOST, port, USER, PASSWORD, base / "dovecot.log")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(mail_root, ignore_errors=True)
