"""Publishing over SFTP to a real OpenSSH server started on 127.0.0.1 by the test.

Needs Debian's `openssh-server` (for /usr/sbin/sshd) and `openssh-client` (ssh-keygen); the
tests skip with that reason when either is missing.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stationcast.cli.publish import publish_command

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)
KEYGEN = shutil.which("ssh-keygen")

pytestmark = pytest.mark.skipif(
    SSHD is None or KEYGEN is None,
    reason="needs Debian's openssh-server and openssh-client (sshd, ssh-keygen)",
)


@dataclass
class SSHServer:
    port: int
    user: str
    key: Path
    known_hosts: Path
    home: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path) -> None:
    assert KEYGEN is not None
    subprocess.run(
        [KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "stationcast-test", "-f", str(path)],
        check=True,
    )


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[SSHServer]:
    assert SSHD is not None
    work = tmp_path / "sshd"
    work.mkdir()
    _keygen(work / "host_key")
    _keygen(work / "client_key")
    (work / "authorized_keys").write_text((work / "client_key.pub").read_text())
    port = _free_port()
    (work / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {work / 'host_key'}\n"
        f"PidFile {work / 'sshd.pid'}\nAuthorizedKeysFile {work / 'authorized_keys'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n"
        "Subsystem sftp internal-sftp\nLogLevel ERROR\n"
    )
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    host_pub = (work / "host_key.pub").read_text().split()
    (work / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
    proc = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(work / "sshd_config")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.skip(f"sshd could not start here: {err.strip()[:200]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("sshd did not listen within 10 s")
                time.sleep(0.05)
        yield SSHServer(
            port, getpass.getuser(), work / "client_key", work / "known_hosts", tmp_path
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def publish(server: SSHServer, site: Path, dest: Path, *extra: str) -> Result:
    url = f"sftp://{server.user}@127.0.0.1:{server.port}{dest}"
    args = ["--to", url, "--out", str(site), "--ssh-key", str(server.key)]
    return CliRunner().invoke(
        publish_command,
        [*args, "--known-hosts", str(server.known_hosts), *extra],
        catch_exceptions=False,
    )


def test_sftp_publish_and_no_change(site: Path, sshd: SSHServer) -> None:
    """Files arrive over SFTP byte for byte, atomically renamed; a rerun uploads nothing."""
    dest = sshd.home / "www" / "show"
    result = publish(sshd, site, dest)
    assert result.exit_code == 0, result.output
    for path in site.rglob("*"):
        if path.is_file():
            assert (dest / path.relative_to(site)).read_bytes() == path.read_bytes()
    assert (dest / ".stationcast" / "published.json").is_file()
    assert not [p for p in dest.rglob("*") if "stationcast-tmp" in p.name]
    started = time.perf_counter()
    again = publish(sshd, site, dest)
    elapsed = time.perf_counter() - started
    assert "Nothing to upload" in again.output
    print(f"sftp: no-change publish {elapsed:.2f}s")


def test_sftp_replaces_changed_feed(site: Path, sshd: SSHServer) -> None:
    """A changed feed replaces the old one (posix-rename over an existing file)."""
    dest = sshd.home / "www"
    assert publish(sshd, site, dest).exit_code == 0
    feed = site / "feed.xml"
    feed.write_bytes(feed.read_bytes().replace(b"<title>Show</title>", b"<title>Shoe</title>"))
    result = publish(sshd, site, dest, "--no-ping")
    assert result.exit_code == 0, result.output
    assert "0 new, 1 changed, 17 unchanged" in result.output
    assert (dest / "feed.xml").read_bytes() == feed.read_bytes()


def test_sftp_unknown_host_key_refused(site: Path, sshd: SSHServer, tmp_path: Path) -> None:
    """A server whose key is not in known_hosts is refused before anything is sent."""
    empty = tmp_path / "empty_known_hosts"
    empty.write_text("")
    url = f"sftp://{sshd.user}@127.0.0.1:{sshd.port}{sshd.home / 'www'}"
    result = CliRunner().invoke(
        publish_command,
        ["--to", url, "--out", str(site), "--ssh-key", str(sshd.key), "--known-hosts", str(empty)],
    )
    assert result.exit_code == 1
    assert "is not in" in result.stderr and "known_hosts" in result.stderr
    assert not (sshd.home / "www").exists()
