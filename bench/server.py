"""What the benchmarks through a real server share: gunicorn on a free port (with
production's options, read from the Dockerfile, or a benchmark's own), a client that times
each call to its last byte, a bounded load at a given concurrency, percentiles, and a
partner organisation's API key made and revoked.

The server inherits this process's environment: set DJANGO_SETTINGS_MODULE, DATABASE_URL,
DEBUG and SECRET_KEY in os.environ before starting it.
"""

from __future__ import annotations

import http.client
import json
import math
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Behind the TLS-terminating proxy of production; without it DEBUG-off settings redirect.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
TIMEOUT = 120  # seconds a client waits for an answer (gunicorn's own worker timeout is 30)


def production_options() -> list[str]:
    """Return the options of the Dockerfile's gunicorn command but its --bind."""
    text = (ROOT / "Dockerfile").read_text()
    start = text.index("\nCMD ") + len("\nCMD ")
    end = text.index("]", start) + 1
    command = json.loads(text[start:end].replace("\\\n", " "))
    if command[:2] != ["gunicorn", "incubator.wsgi"]:
        raise SystemExit(f"The Dockerfile's command is not gunicorn's: {command}")
    return [option for option in command[2:] if not option.startswith("--bind=")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, options: list[str], ready_path: str) -> subprocess.Popen:
    """Start gunicorn on 127.0.0.1:port; return once `ready_path` answers 200."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "incubator.wsgi",
        *options,
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    print("server: " + " ".join(command[2:]))
    # With this process's environment; the access log (production's, on stdout) is dropped.
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            if call(connection, ready_path)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def call(connection: http.client.HTTPConnection, path: str, headers=None):
    """GET path; return (status, body, seconds to the last byte of the body)."""
    start = time.perf_counter()
    connection.request("GET", path, headers={**PROXY_HEADERS, **(headers or {})})
    answer = connection.getresponse()
    body = answer.read()
    return answer.status, body, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with `share` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def p95(values: list[float]) -> float:
    import statistics

    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Load:
    """What a bounded load on one URL measured."""

    seconds: list[float] = field(default_factory=list)  # of each answer with status 200
    errors: list[str] = field(default_factory=list)  # one line per failed call
    wall: float = 0.0  # from the first call's start to the last one's end
    size: int = 0  # bytes of the last good answer
    sample: bytes = b""

    @property
    def calls(self) -> int:
        return len(self.seconds) + len(self.errors)

    @property
    def rate(self) -> float:
        return self.calls / self.wall if self.wall else 0.0

    def merge(self, other: Load) -> None:
        self.seconds += other.seconds
        self.errors += other.errors
        self.wall += other.wall
        self.size, self.sample = other.size or self.size, other.sample or self.sample


def load(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    concurrency: int,
    requests: int,
    seconds: float,
    expect: bytes = b"",
) -> Load:
    """GET path from `concurrency` threads until `requests` calls are made or `seconds` have
    passed (at least one call per thread); an answer other than 200, or one without
    `expect`, and a failed connection count as errors."""
    result = Load()
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        nonlocal issued
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        made = 0
        while True:
            with lock:
                if issued >= requests or (made and time.monotonic() > deadline):
                    break
                issued += 1
            made += 1
            try:
                status, body, took = call(connection, path, headers)
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                with lock:
                    result.errors.append(f"{path}: {type(error).__name__}: {error}")
                continue
            with lock:
                if status != 200:
                    result.errors.append(f"{path}: HTTP {status}: {body[:200]!r}")
                elif expect and expect not in body:
                    result.errors.append(f"{path}: the answer lacks {expect!r}")
                else:
                    result.seconds.append(took)
                    result.size, result.sample = len(body), body
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - started
    return result


def make_key(scopes: list[str]) -> tuple[object, str]:
    """Return (key row, key) of a new key of the bench's partner organisation.

    Made with the key model's manager, not companies.apikeys.services.api_key_create: on
    PostgreSQL that service's audit record fails (the key's primary key, prefix and hash,
    is longer than AuditRecord.object_id's 64 characters), and the benchmarks measure
    reads, not the making of keys.
    """
    from companies.apikeys.models import PartnerAPIKey
    from companies.models import PartnerOrganisation

    organisation, _ = PartnerOrganisation.objects.get_or_create(
        name_en="Bench Capital", defaults={"kind": "investor", "name_zh": "基准创投"}
    )
    return PartnerAPIKey.objects.create_key(organisation=organisation, name="bench", scopes=scopes)


def revoke(key_row) -> None:
    from django.utils import timezone

    type(key_row).objects.filter(pk=key_row.pk).update(revoked=True, revoked_at=timezone.now())
