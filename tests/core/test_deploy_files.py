"""The deployment files in docs/deploy/ and the handbook name only commands and files that exist.

The systemd units are not run by any test, so without these checks a renamed command or option
would only be noticed on a production server after an upgrade.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandParser
from gunicorn.config import Config

from sigill.core.settings_reference import collect

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "docs" / "deploy"
HANDBOOK = ROOT / "docs" / "operations.md"
CHECKOUT = "/opt/sigill"
# Apps whose commands exist only in a configuration the settings switch on (django_rq with RQ).
OPTIONAL_APPS = ["django_rq"]
UNITS = sorted(path for path in DEPLOY.iterdir() if path.suffix in {".service", ".timer", ".target"})
SERVICES = [path for path in UNITS if path.suffix == ".service"]


def directives(unit: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) for each line of a unit file, in order (keys may repeat)."""
    found, section = [], ""
    for raw in unit.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        found.append((section, key.strip(), value.strip()))
    return found


def values(unit: Path, key: str) -> list[str]:
    return [value for _, k, value in directives(unit) if k == key]


def command_parser(name: str) -> CommandParser:
    app = get_commands().get(name)
    if app is None:
        app = next(
            (a for a in OPTIONAL_APPS if importlib.util.find_spec(f"{a}.management.commands.{name}")),
            None,
        )
    assert app is not None, f"manage.py has no command {name!r}"
    return load_command_class(app, name).create_parser("manage.py", name)


def check_manage(arguments: list[str]) -> None:
    """``manage.py NAME ARGS``: the command exists and accepts the arguments."""
    command_parser(arguments[0]).parse_args(arguments[1:])


def on_server(path: str) -> Path:
    assert path.startswith(CHECKOUT + "/"), path
    return ROOT / path.removeprefix(CHECKOUT + "/")


def check_program(argv: list[str]) -> None:
    program = argv[0].lstrip("-@+!:")
    if program == f"{CHECKOUT}/.venv/bin/python":
        assert argv[1] == "manage.py"
        check_manage(argv[2:])
    elif program == f"{CHECKOUT}/.venv/bin/gunicorn":
        options = Config().parser().parse_args(argv[1:])
        assert options.args == ["sigill.wsgi"] and options.pythonpath == "src"
        assert importlib.util.find_spec("sigill.wsgi") is not None
    elif program.startswith(CHECKOUT + "/"):
        script = on_server(program)
        assert script.is_file() and os.access(script, os.X_OK), f"{script} is missing or not executable"
        for line in script.read_text().splitlines():
            if not line.lstrip().startswith("#") and (match := re.search(r"manage\.py (\w+)", line)):
                command_parser(match.group(1))
    else:
        assert program == "/bin/kill", f"unexpected program {program}"


@pytest.mark.parametrize("unit", SERVICES, ids=lambda path: path.name)
def test_every_command_a_service_runs_exists_and_accepts_its_options(unit: Path) -> None:
    commands = [value for _, key, value in directives(unit) if key.startswith("Exec")]
    assert values(unit, "ExecStart"), f"{unit.name} starts nothing"
    for command in commands:
        check_program(shlex.split(command))


@pytest.mark.parametrize("unit", SERVICES, ids=lambda path: path.name)
def test_every_service_runs_as_sigill_from_the_checkout_with_the_environment_file(unit: Path) -> None:
    assert values(unit, "User") == ["sigill"] and values(unit, "Group") == ["sigill"]
    assert values(unit, "WorkingDirectory") == [CHECKOUT]
    assert values(unit, "EnvironmentFile") == ["/etc/sigill/sigill.env"]


def test_every_timer_starts_a_oneshot_service_that_exists() -> None:
    timers = [path for path in UNITS if path.suffix == ".timer"]
    assert timers
    for timer in timers:
        service = timer.with_suffix(".service")
        assert service.exists() and values(service, "Type") == ["oneshot"], timer.name


def test_the_long_running_services_belong_to_sigill_target() -> None:
    for name in ["sigill-web", "sigill-worker", "sigill-scheduler", "sigill-rqworker@"]:
        unit = DEPLOY / f"{name}.service"
        assert values(unit, "PartOf") == ["sigill.target"] and values(unit, "WantedBy") == ["sigill.target"]


def test_nginx_passes_requests_to_the_address_gunicorn_listens_on_by_default() -> None:
    unit = DEPLOY / "sigill-web.service"
    # As systemd does: ${NAME} in ExecStart from the unit's Environment= (sigill.env may override).
    defaults = dict(pair.split("=", 1) for value in values(unit, "Environment") for pair in value.split())
    command = re.sub(r"\$\{(\w+)\}", lambda name: defaults[name[1]], values(unit, "ExecStart")[0])
    start = shlex.split(command)
    bind = Config().parser().parse_args(start[1:]).bind
    nginx = (DEPLOY / "nginx-sigill.conf").read_text()
    assert re.findall(r"^\s*server (\S+);", nginx, re.MULTILINE) == bind


def test_the_environment_example_sets_only_variables_sigill_reads() -> None:
    _docstring, sections = collect(ROOT / "src" / "sigill" / "settings.py")
    variables = {variable.name: variable for section in sections for variable in section.variables}
    known = set(variables) | {f"{name}_FILE" for name, v in variables.items() if v.kind == "secret"}
    example = (DEPLOY / "sigill.env.example").read_text()
    named = re.findall(r"^#?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE)
    assert named and set(named) <= known, set(named) - known


def test_the_handbook_names_only_deployment_files_and_commands_that_exist() -> None:
    handbook = HANDBOOK.read_text()
    for unit in set(re.findall(r"sigill[-\w]*@?\d*\.(?:service|timer|target)", handbook)):
        template = re.sub(r"@\d+\.", "@.", unit)
        assert (DEPLOY / template).exists(), f"the handbook names {unit}, which docs/deploy/ lacks"
    for path in DEPLOY.iterdir():
        assert path.name in handbook, f"the handbook never mentions docs/deploy/{path.name}"
    for name in set(re.findall(r"(?:sigill-manage|manage\.py) ([a-z_]+)", handbook)):
        command_parser(name)


def test_behind_the_documented_nginx_and_environment_the_client_s_own_address_counts() -> None:
    """The nginx site appends the address it saw to X-Forwarded-For in every location it proxies,
    and the environment example trusts nginx's address (operations.md, "The client's address")."""
    from django.test import RequestFactory, override_settings

    from sigill.core.client_address import client_address

    nginx = (DEPLOY / "nginx-sigill.conf").read_text()
    locations = re.findall(r"location [^{]+\{([^}]*)\}", nginx)
    proxied = [body for body in locations if "proxy_pass" in body]
    assert proxied and all(
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in body for body in proxied
    )
    example = (DEPLOY / "sigill.env.example").read_text()
    trusted = re.search(r"^TRUSTED_PROXIES=(.*)$", example, re.MULTILINE)
    assert trusted is not None
    # A resident who wrote a header of their own, through nginx on the same machine.
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    with override_settings(TRUSTED_PROXIES=trusted[1].split(",")):
        assert client_address(request) == "203.0.113.5"
