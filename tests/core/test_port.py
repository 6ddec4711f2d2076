"""`make run PORT=... HOST=...`: the web server listens where PORT and HOST say.

The test starts the web process the way `make run` does (``honcho start --port $(PORT)`` with HOST
in the environment, the Procfile's ``web`` line), on a free port and the loopback address
127.0.0.2, and asks it for /healthz there.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx2
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_make_run_serves_on_the_port_and_address_it_is_given(tmp_path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    [command] = re.findall(r"\$\(VENV\)/bin/honcho start --port \$\(PORT\)", makefile)
    port, host = free_port(), "127.0.0.2"
    env = {
        **os.environ,
        "DEBUG": "true",
        "HOST": host,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sigill.sqlite3'}",
        "SIGILL_VAR_DIR": str(tmp_path),
    }
    web = subprocess.Popen(  # noqa: S603 (the Makefile's own command, for the web process only)
        [str(ROOT / ".venv" / "bin" / "honcho"), "start", "--port", str(port), "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 60
        while answer is None and time.monotonic() < deadline:
            try:
                answer = httpx2.get(f"http://{host}:{port}/healthz", timeout=2)
            except httpx2.TransportError:
                time.sleep(0.3)
        assert answer is not None, f"nothing answered on {host}:{port} ({command})"
        assert answer.status_code in (200, 503) and "database" in answer.json()
        # Bound to HOST only: the usual loopback address does not answer on that port.
        with socket.socket() as other:
            assert other.connect_ex(("127.0.0.1", port)) != 0
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)
