"""The desk-central command: issuing tokens and serving, as an operator runs it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from desk.central.testing import free_port


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk.central.cli", *args],
                          capture_output=True, text=True, timeout=60)


def test_user_add_prints_a_working_token_and_plain_command_serves(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite")
    added = run_cli("user", "add", "王队长", "--role", "station_chief", "--station", "S7",
                    "--workstation", "ws-7", "--db", db)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert len(token) > 30 and "\n" not in token
    refused = run_cli("user", "add", "无中队", "--role", "station_chief", "--db", db)
    assert refused.returncode != 0
    listed = run_cli("user", "list", "--db", db)
    assert "王队长\tstation_chief\tS7\tws-7" in listed.stdout
    port = free_port()
    # No subcommand: serve, as ``desk-central --db … --port …``.
    proc = subprocess.Popen([sys.executable, "-m", "desk.central.cli", "--db", db, "--port",
                             str(port), "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        me = httpx.get(url + "/whoami", headers={"Authorization": f"Bearer {token}"}).json()
        assert me == {"name": "王队长", "role": "station_chief", "station_id": "S7",
                      "workstation": "ws-7"}
        doc = httpx.get(url + "/openapi.json").json()
        assert {"/ops", "/changes", "/counts", "/telemetry", "/osmand", "/stream"} <= set(doc["paths"])
        # Test-mode fault injection is off in a normal run.
        assert httpx.post(url + "/_test/faults", json={}).status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_tls_with_certificate_and_key(tmp_path: Path) -> None:
    import shutil

    import pytest

    from desk.sync.transport import CentralClient, TransportError

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    db = str(tmp_path / "c.sqlite")
    token = run_cli("user", "add", "d", "--role", "dispatcher", "--db", db).stdout.strip()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "desk.central.cli", "serve", "--db", db,
                             "--port", str(port), "--cert", str(cert), "--key", str(key),
                             "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"https://127.0.0.1:{port}"
        client = CentralClient(url, token, verify=str(cert))
        deadline = time.monotonic() + 20
        while True:
            try:
                assert client.get_counts("live")["counts"] == {}
                break
            except TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        client.close()
        # Without trusting the certificate the client refuses the connection.
        with pytest.raises(TransportError):
            CentralClient(url, token).get_counts("live")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
