"""`afterglow --help` without importing Django: the verbs, found where Django finds them.

Each verb is a management command module under an app's `management/commands/`; its
one-line summary is the first sentence of that command's `help`, read from the source
(a verb whose help is built at run time is listed by name alone). `afterglow VERB --help`
gives a verb's options, and `afterglow help` Django's full list, its own commands too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
WIDTH = 100


def verbs(package: Path = PACKAGE) -> dict[str, str]:
    found: dict[str, str] = {}
    for commands in sorted(package.glob("*/management/commands")):
        for path in sorted(commands.glob("[!_]*.py")):
            found[path.stem] = summary(path)
    return dict(sorted(found.items()))


def summary(path: Path) -> str:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return ""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "help" for t in item.targets)
                    and isinstance(item.value, ast.Constant)
                    and isinstance(item.value.value, str)
                ):
                    return _first_sentence(item.value.value)
    return ""


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + ("." if dot else "")


def usage(hidden: frozenset[str] = frozenset(), note: str = "") -> str:
    """The verbs and their summaries, leaving out `hidden` (a mode's refused verbs), with `note` after them."""
    found = {name: text for name, text in verbs().items() if name not in hidden}
    width = max(map(len, found), default=0)
    lines = ["usage: afterglow [VERB] [options]   (no verb: serve, and open the browser)", "", "Verbs:"]
    for name, text in found.items():
        line = f"  {name:<{width}}  {text}".rstrip()
        lines.append(line if len(line) <= WIDTH else line[: WIDTH - 1].rsplit(" ", 1)[0] + " …")
    if note:
        lines += ["", note]
    lines += ["", "`afterglow VERB --help` shows a verb's options; `afterglow help` lists every command, Django's own too."]
    return "\n".join(lines) + "\n"
