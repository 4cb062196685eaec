"""runall stops every process it started, and what they started (runserver's server runs in
a grandchild that outlived a plain SIGINT to its launcher).

A run of runall itself is not here: it needs a migrated database of its own and a quiet
machine to start within a bound, and then says nothing the test below does not.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def descendants(pid):
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# A child that starts a grandchild deaf to Ctrl-C, then leaves on Ctrl-C itself: the shape
# of a server that outlives its launcher (runserver's reloader killed, its server orphaned).
STUBBORN = """
import signal, subprocess, sys, time
subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)"])
time.sleep(60)
"""


def test_stopping_the_children_stops_what_they_started():
    from incubator.management.commands.runall import stop_all

    child = subprocess.Popen([sys.executable, "-c", STUBBORN], start_new_session=True)
    deadline = time.monotonic() + 5
    while not descendants(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    (grandchild,) = descendants(child.pid)
    try:
        stop_all([child], timeout=1)
        time.sleep(0.1)
        assert child.poll() is not None
        assert not alive(grandchild)
    finally:
        if alive(grandchild):
            os.kill(grandchild, signal.SIGKILL)


class _Started(Exception):
    """Raised in place of starting the first child: the test reads what it would get."""


def _environment_of_children(monkeypatch, addr: str) -> dict:
    from django.core.management import call_command

    from incubator.management.commands import runall

    seen = []

    def popen(command, **options):
        seen.append(options["env"])
        raise _Started

    monkeypatch.setattr(runall.subprocess, "Popen", popen)
    try:
        call_command("runall", addr=addr)
    except _Started:
        pass
    (env,) = seen
    return env


def test_the_e_mails_links_point_to_the_address_served_when_site_url_is_unset(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    env = _environment_of_children(monkeypatch, "127.0.0.1:8101")
    assert env["SITE_URL"] == "http://127.0.0.1:8101"
    assert env["PATH"] == os.environ["PATH"]  # the rest of the environment passes on


def test_a_site_url_that_is_set_is_kept(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://portal.center.example")
    env = _environment_of_children(monkeypatch, "127.0.0.1:8101")
    assert env["SITE_URL"] == "https://portal.center.example"


def test_the_site_url_of_each_form_of_address():
    from incubator.management.commands.runall import site_url_of

    assert site_url_of("8101") == "http://127.0.0.1:8101"
    assert site_url_of("0.0.0.0:8101") == "http://127.0.0.1:8101"
    assert site_url_of("localhost:8000") == "http://localhost:8000"
    assert site_url_of("[::1]:8101") == "http://[::1]:8101"
