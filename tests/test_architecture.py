"""The direction of dependencies that docs/architecture.md states, read from the imports.

From the bottom up: the portal's domain-free machinery in canto_portal (the cache, links,
spreadsheets), then members, then agreements, then what puts the site together (root URLs,
the home page, the base layout's context). A module imports only from its own layer or the
layers below it, and no two modules import each other, directly or round a loop. Imports
inside functions count too: a cycle deferred to call time is still a cycle. Migrations are
history and are left out."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("canto_portal", "members", "agreements")
SITE_ASSEMBLY = {"canto_portal.urls", "canto_portal.views", "canto_portal.context_processors"}


def layer_of(module: str) -> int:
    if module in SITE_ASSEMBLY:
        return 3
    return APPS.index(module.split(".")[0])


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


MODULES = project_modules()


def imports_of(path: Path) -> set[str]:
    """The project modules a file imports; `from package import submodule` names the
    submodule. Parent packages are not counted: importing one is how Python finds a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {name for name in found if name in MODULES}


GRAPH = {module: imports_of(path) - {module} for module, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while (member := stack.pop()) != module:
                component.append(member)
            if component:
                found.append(sorted([module, *component]))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_graph_covers_every_app():
    assert {"canto_portal.fragments", "members.models", "agreements.models.register"} <= set(GRAPH)


def test_no_modules_import_each_other_round_a_loop():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_go_only_down_the_layers(module):
    upward = sorted(name for name in GRAPH[module] if layer_of(name) > layer_of(module))

    assert upward == [], f"{module} imports from a layer above it: {upward}"


def test_a_loop_is_found_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert cycles(graph) == [["a", "b", "c"]]
