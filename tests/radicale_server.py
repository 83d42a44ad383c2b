"""A real Radicale on 127.0.0.1, for the sync tests: started once per module, stopped by its process id."""

from __future__ import annotations

import os
import signal
import socket
import ssl as ssl_module
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def radicale(
    folder: Path, port: int | None = None, users: dict[str, str] | None = None, tls: tuple[Path, Path] | None = None
) -> Iterator[str]:
    """A Radicale storing in `folder`, with no authentication, or with these users and
    passwords (an htpasswd file, plain text), over TLS with `tls` (certificate, key);
    yields its URL."""
    port = port or free_port()
    config = folder / "config"
    auth = "type = none"
    if users is not None:
        (folder / "users").write_text("".join(f"{user}:{password}\n" for user, password in users.items()))
        auth = f"type = htpasswd\nhtpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain"
    ssl = f"ssl = True\ncertificate = {tls[0]}\nkey = {tls[1]}\n" if tls else ""
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n{ssl}[auth]\n{auth}\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n[logging]\nlevel = warning\n"
    )
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)], stdout=log, stderr=log)
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}/"
    context = ssl_module.create_default_context(cafile=str(tls[0])) if tls else None
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise RuntimeError(f"radicale exited: {(folder / 'radicale.log').read_text()}")
            try:
                urllib.request.urlopen(url, timeout=1, context=context).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no one trusts, and its key, made by the openssl program."""
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key
