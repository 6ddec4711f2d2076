"""Requests per second for the public list against a static file served by the same server.

Run: ``.venv/bin/python bench/public_list.py``. It builds a production-like instance in a temporary
folder (DEBUG off, collected static files, the demo data), starts gunicorn on a loopback port,
and drives it from a few keep-alive client threads for a fixed time per address. The figures
are ratios within one run, so they compare the same machine under the same load.
"""

from __future__ import annotations

import base64
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(env: dict[str, str]) -> None:
    for command in (
        ["migrate", "-v", "0"],
        ["seed_demo", "--force", "-v", "0"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([PYTHON, str(ROOT / "manage.py"), *command], env=env, check=True, cwd=ROOT)  # noqa: S603


def hammer(port: int, path: str, headers: dict[str, str], expected: int) -> float:
    """Requests per second over SECONDS from CLIENTS keep-alive connections."""
    counts = [0] * CLIENTS
    deadline = time.perf_counter() + SECONDS

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != expected:
                raise RuntimeError(f"{path}: {response.status}, expected {expected}")
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def etag_of(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.getheader("ETag") or ""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {
            **os.environ,
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SIGILL_VAULT_KEYS": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SIGILL_VAR_DIR": folder,
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "sigill.settings",
        }
        env.pop("DATABASE_URL", None)
        prepare(env)
        server = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "gunicorn",
                "sigill.wsgi",
                "--pythonpath",
                str(ROOT / "src"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            run(port)
        finally:
            server.terminate()
            server.wait(timeout=10)


def run(port: int) -> None:
    static = "/static/core/css/sigill.css"
    cases = [
        ("static file", static, {}, 200),
        ("public page", "/public/accounts/", {}, 200),
        (
            "public page, conditional",
            "/public/accounts/",
            {"If-None-Match": etag_of(port, "/public/accounts/")},
            304,
        ),
        ("JSON feed", "/public/accounts.json", {}, 200),
        (
            "JSON feed, conditional",
            "/public/accounts.json",
            {"If-None-Match": etag_of(port, "/public/accounts.json")},
            304,
        ),
    ]
    hammer(port, static, {}, 200)  # warm up both workers
    results = {name: hammer(port, path, headers, expected) for name, path, headers, expected in cases}
    baseline = results["static file"]
    print(f"{'address':<28}{'req/s':>10}{'vs static':>12}")
    for name, rate in results.items():
        print(f"{name:<28}{rate:>10.0f}{rate / baseline:>12.2f}")
    print(
        f"public_page_vs_static={results['public page'] / baseline:.2f} "
        f"json_vs_static={results['JSON feed'] / baseline:.2f} "
        f"conditional_json_vs_static={results['JSON feed, conditional'] / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
