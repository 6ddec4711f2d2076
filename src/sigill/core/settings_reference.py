"""The configuration reference (docs/configuration.md), generated from the settings module's source.

Every environment variable that ``src/sigill/settings.py`` reads (``env.str("NAME", ...)``,
``env.bool``, ``env.int``, ``env.list``, ``env.db``, ``env.email_url``, ``secret("NAME")``, ...)
is listed with its type, its default as written in the code, the Django setting it feeds, the
condition under which it is read, and the comments the code keeps beside it. Paragraphs of the
settings module (statements between blank lines) become sections, headed by their first comment.
A test compares the committed file with this output, so the reference cannot drift from the code.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

KINDS = {
    "str": "text",
    "bool": "`true` / `false`",
    "int": "integer",
    "float": "number",
    "list": "comma-separated list",
    "json": "JSON",
    "db": "database URL",
    "db_url": "database URL",
    "email_url": "e-mail URL",
    "cache_url": "cache URL",
    "url": "URL",
    "path": "path",
    "secret": "secret",
}


@dataclass
class Variable:
    name: str
    kind: str
    default: str
    setting: str
    condition: str
    note: str


@dataclass
class Section:
    comment: str
    variables: list[Variable] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The comment's first clause: "Log-in throttling (django-axes): lock ..." gives the part
        before the colon."""
        first = re.split(r"(?<=[a-z)])[.:;] ", self.comment, maxsplit=1)[0].rstrip(".")
        return first or "General"

    @property
    def text(self) -> str:
        rest = self.comment[len(self.heading) :].lstrip(".:; ")
        return rest[:1].upper() + rest[1:] if rest else ""


def collect(path: Path) -> tuple[str, list[Section]]:
    """The settings module's docstring, and its sections with the variables each reads."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    comments = _comments(source)
    sections: list[Section] = []
    seen: set[str] = set()
    for statement in tree.body:
        top = _comment_block(statement.lineno, comments)
        starts = (top[0][0] if top else statement.lineno) - 1
        if not sections or starts == 0 or not lines[starts - 1].strip():
            sections.append(Section(" ".join(text for _, text in top)))
            first_in_section = True
        else:
            first_in_section = False
        for variable, chain, condition in _reads(statement, source):
            if variable.name in seen:
                continue
            seen.add(variable.name)
            # The comment nearest the read: above its own statement, else above an enclosing `if`;
            # the section's own comment is the section's text already.
            notes = []
            for owner in reversed(chain):
                if owner is statement and first_in_section:
                    break
                if block := _comment_block(owner.lineno, comments):
                    notes.append(" ".join(text for _, text in block))
                    break
            alone, trailing = comments.get(chain[-1].lineno, (True, ""))
            if not alone:  # a comment at the end of the statement's first line
                notes.append(trailing)
            variable.condition = condition
            variable.note = " ".join(notes)
            sections[-1].variables.append(variable)
    return ast.get_docstring(tree) or "", [section for section in sections if section.variables]


def _comments(source: str) -> dict[int, tuple[bool, str]]:
    """Comment text by line: (True if the line holds nothing but the comment, text)."""
    found: dict[int, tuple[bool, str]] = {}
    lines = source.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            line = token.start[0]
            alone = not lines[line - 1][: token.start[1]].strip()
            found[line] = (alone, token.string.lstrip("#").strip())
    return found


def _comment_block(lineno: int, comments: dict[int, tuple[bool, str]]) -> list[tuple[int, str]]:
    """The comment lines directly above ``lineno`` (no blank line between)."""
    block: list[tuple[int, str]] = []
    line = lineno - 1
    while line in comments and comments[line][0]:
        block.insert(0, (line, comments[line][1]))
        line -= 1
    return block


def _reads(
    statement: ast.stmt, source: str, condition: str = "", outer: tuple[ast.stmt, ...] = ()
) -> list[tuple[Variable, tuple[ast.stmt, ...], str]]:
    """Every variable read in ``statement`` (recursing into if/try blocks), with the statements
    from the outermost down to the one that reads it, and the condition under which it is read."""
    chain = (*outer, statement)
    found: list[tuple[Variable, tuple[ast.stmt, ...], str]] = []
    if isinstance(statement, ast.If):
        found += [(v, chain, condition) for v in _calls(statement.test, statement, source)]
        test = ast.get_source_segment(source, statement.test) or ""
        for inner in statement.body:
            found += _reads(inner, source, _join(condition, test), chain)
        for inner in statement.orelse:
            found += _reads(inner, source, _join(condition, f"not ({test})"), chain)
        return found
    if isinstance(statement, ast.Try):
        for inner in [*statement.body, *statement.orelse, *statement.finalbody]:
            found += _reads(inner, source, condition, chain)
        return found
    if isinstance(statement, ast.FunctionDef | ast.ClassDef):
        return found  # helpers such as secret() read names passed to them, listed where called
    return [(v, chain, condition) for v in _calls(statement, statement, source)]


def _join(outer: str, inner: str) -> str:
    return f"{outer} and {inner}" if outer else inner


def _calls(node: ast.AST, statement: ast.stmt, source: str) -> list[Variable]:
    variables = []
    for call in ast.walk(node):
        if not isinstance(call, ast.Call) or not call.args:
            continue
        name_arg = call.args[0]
        if not (isinstance(name_arg, ast.Constant) and isinstance(name_arg.value, str)):
            continue
        kind = _kind(call.func)
        if kind is None:
            continue
        keywords = {keyword.arg: keyword.value for keyword in call.keywords}
        if kind == "secret":
            dev = "; with `DEBUG` on, a development value" if "dev_default" in keywords else ""
            default = f"none: required{dev}. Also read from the file named by `{name_arg.value}_FILE`"
        elif "default" in keywords:
            default = f"`{ast.get_source_segment(source, keywords['default'])}`"
        else:
            default = "none: required"
        variables.append(Variable(name_arg.value, KINDS[kind], default, _setting(statement), "", ""))
    return variables


def _kind(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name) and func.id == "secret":
        return "secret"
    if isinstance(func, ast.Name) and func.id == "env":
        return "str"
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env":
        return func.attr if func.attr in KINDS else None
    return None


def _setting(statement: ast.stmt) -> str:
    """The Django setting a statement assigns (or, for ``DATABASES[...].setdefault(...)``, changes)."""
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        names = []
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and node.id.isupper():
                    names.append(node.id)
                    break
        return ", ".join(f"`{name}`" for name in names)
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and node.id.isupper():
            return f"`{node.id}`"
    return ""


def render(docstring: str, sections: list[Section]) -> str:
    out = [
        "# Configuration reference",
        "",
        "<!-- Generated by `manage.py settings_reference --write` from src/sigill/settings.py;",
        "     do not edit by hand. tests/core/test_settings_reference.py fails when it is stale. -->",
        "",
        _markdown(docstring),
        "",
        "Every variable below is read from the environment when Sigill starts (the systemd units",
        "in `docs/deploy/` read them from `/etc/sigill/sigill.env`). A *secret* can instead be read",
        "from a file: set `NAME_FILE` to the file's path. Defaults are shown as the code writes",
        "them; `DEBUG` is the development switch, never on in production.",
        "",
    ]
    for section in sections:
        out += [f"## {section.heading}", ""]
        if section.text:
            out += [_markdown(section.text), ""]
        out += ["| Variable | Type | Default | Setting | Notes |", "|---|---|---|---|---|"]
        for v in section.variables:
            notes = " ".join(
                part
                for part in [_markdown(v.note), f"Read only when `{v.condition}`." if v.condition else ""]
                if part
            )
            out.append(f"| `{v.name}` | {v.kind} | {_cell(v.default)} | {v.setting} | {_cell(notes)} |")
        out.append("")
    return "\n".join(out)


def _markdown(text: str) -> str:
    """Docstrings and comments quote code as ``x`` (reStructuredText); Markdown wants `x`."""
    return text.replace("``", "`")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def reference(settings_path: Path) -> str:
    return render(*collect(settings_path))
