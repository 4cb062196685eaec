import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from incubator import demo
from incubator.preflight import broker_error_line, check_broker


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and beat together; Ctrl-C stops all three."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        try:
            check_broker(timeout=3)
        except Exception as error:  # noqa: BLE001
            raise CommandError(broker_error_line(error)) from None
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "incubator",
                "worker",
                "-Q",
                "default,heavy",
                "--pool=solo",
                "--loglevel=INFO",
            ],
            "beat": [python, "-m", "celery", "-A", "incubator", "beat", "--loglevel=INFO"],
        }
        env = child_environment(addr, os.environ)
        # Each child leads its own process group, so stopping it also stops what it
        # started (runserver's autoreloader runs the server in a grandchild).
        processes = {
            name: subprocess.Popen(cmd, start_new_session=True, env=env)
            for name, cmd in commands.items()
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"\nThe portal runs at http://{addr}/  (admin: http://{addr}/admin/)"
            )
        )
        self.stdout.write(f"Links in e-mails point to {env['SITE_URL'].rstrip('/')}/")
        self.stdout.write(f"Demo sign-ins, password {demo.DEMO_PASSWORD}:")
        for role, email in demo.sign_ins():
            self.stdout.write(f"  {role:<20} {email}")
        self.stdout.write("Press Ctrl-C to stop the web server, the worker and beat.\n")
        signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
        signal.signal(signal.SIGINT, raise_keyboard_interrupt)
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            stopped = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(stopped)} stopped; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            stop_all(processes.values(), timeout=10)
        self.stdout.write("Stopped.")


def child_environment(addr: str, environ) -> dict:
    """Return the children's environment: SITE_URL, if unset, is the address served.

    The workers write the e-mails, and their links come from SITE_URL (settings.py); its
    default names port 8000, a dead link when the portal runs on another.
    """
    env = dict(environ)
    if not env.get("SITE_URL"):
        env["SITE_URL"] = site_url_of(addr)
    return env


def site_url_of(addr: str) -> str:
    """Return the URL a browser on this machine opens for runserver's `addr`.

    "8101" -> http://127.0.0.1:8101, "0.0.0.0:8101" (every interface) -> the loopback's.
    """
    host, _sep, port = addr.rpartition(":")
    host = host or "127.0.0.1"
    if host == "0.0.0.0":
        host = "127.0.0.1"
    elif host in ("[::]", "::"):
        host = "[::1]"
    return f"http://{host}:{port}"


def raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def stop_all(processes, *, timeout):
    """Interrupt every child's process group, wait, then kill what is left."""
    processes = list(processes)
    for p in processes:
        signal_group(p, signal.SIGINT)
    deadline = time.monotonic() + timeout
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for p in processes:
        # The group may outlive its leader (an orphaned runserver), so kill it anyway.
        signal_group(p, signal.SIGKILL)
        p.wait()


def signal_group(process, signum):
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
