"""The benchmarks' server and client (bench/server.py): production's gunicorn options, the
bounded load's counts of calls and failures, the percentiles."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import server


class Answers(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = b"hello" if self.path == "/ok" else b"gone"
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def port():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_load_test_runs_gunicorn_with_the_dockerfiles_options():
    options = server.production_options()
    assert "--workers=3" in options
    assert "--limit-request-line=4094" in options
    assert not [option for option in options if option.startswith("--bind")]


def test_a_bounded_load_makes_its_calls_and_counts_each_failure(port):
    good = server.load(port, "/ok", concurrency=3, requests=10, seconds=30, expect=b"hello")
    assert (len(good.seconds), good.errors, good.size) == (10, [], 5)
    assert good.rate > 0
    wrong = server.load(port, "/ok", concurrency=3, requests=4, seconds=30, expect=b"absent")
    assert (len(wrong.seconds), len(wrong.errors)) == (0, 4)
    missing = server.load(port, "/missing", concurrency=2, requests=3, seconds=30)
    assert len(missing.errors) == 3
    assert "HTTP 404" in missing.errors[0]
    good.merge(missing)
    assert (good.calls, len(good.errors)) == (13, 3)


def test_percentiles_are_nearest_rank():
    values = [n / 1000 for n in range(100, 0, -1)]
    assert server.percentile(values, 0.5) == 0.05
    assert server.percentile(values, 0.99) == 0.099
    assert server.percentile([0.2], 0.99) == 0.2
