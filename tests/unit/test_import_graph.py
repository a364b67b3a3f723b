"""The shape of the code: adapters reach the core only through the boundary, never
each other, and no module imports itself back through others (lazy imports count)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# what adapters share that is no adapter: the HTTP connections (`providers/wire.py`)
SHARED = {"providers.wire"}
ALLOWED_CORE = {"followup_daemon.boundary", "followup_daemon.errors", "followup_daemon.ics",
                "followup_daemon.ics.reader", "followup_daemon.ics.writer",
                "followup_daemon.ics.uids"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def ours(found: set[str], modules: set[str]) -> set[str]:
    return {name for name in found if name in modules}


SOURCES = sorted([*ROOT.glob("followup_daemon/**/*.py"), *ROOT.glob("providers/**/*.py")])
MODULES = {module_name(p) for p in SOURCES}
GRAPH = {module_name(p): ours(imports(p), MODULES) - {module_name(p)} for p in SOURCES}
ADAPTERS = [p for p in SOURCES if module_name(p).startswith("providers.")]


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: module_name(p))
def test_an_adapter_reaches_the_core_only_through_the_boundary(path: Path) -> None:
    core = {m for m in GRAPH[module_name(path)] if m.startswith("followup_daemon")}
    assert core <= ALLOWED_CORE, core - ALLOWED_CORE


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: module_name(p))
def test_adapters_never_import_each_other(path: Path) -> None:
    package = ".".join(module_name(path).split(".")[:2])
    others = {m for m in GRAPH[module_name(path)]
              if m.startswith("providers.") and m != "providers" and
              ".".join(m.split(".")[:2]) not in (package, *SHARED)}
    assert not others


def test_what_adapters_share_imports_no_adapter() -> None:
    for shared in SHARED:
        assert not {m for m in GRAPH[shared] if m.startswith("providers.")}


def test_the_core_names_adapters_only_in_the_registry() -> None:
    naming = sorted(p.name for p in ROOT.glob("followup_daemon/**/*.py")
                    if '"providers.' in p.read_text(encoding="utf-8"))
    assert naming == ["registry.py"]
    assert not any(m.startswith("providers") for name, found in GRAPH.items()
                   if name.startswith("followup_daemon") for m in found)


def test_there_is_no_import_circle() -> None:
    def circle_from(start: str) -> list[str] | None:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in GRAPH.get(node, ()):
                if nxt == start:
                    return [*path, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
        return None

    circles = [c for c in map(circle_from, sorted(GRAPH)) if c]
    assert not circles, " -> ".join(circles[0])


def test_the_checker_sees_a_circle_and_a_forbidden_import() -> None:
    """The checks above can fail: the parser finds relative and lazy imports."""
    found = imports(ROOT / "followup_daemon" / "cli_common.py")
    assert "followup_daemon.sync" in found  # imported inside a function
    assert "followup_daemon.config" in found  # `from .config import ...`
