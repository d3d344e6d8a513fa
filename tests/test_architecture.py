"""The shape of the code: the modules of cislog import one another without a cycle.

A cycle is a sign that two layers have grown into one (the queries and the dataset
they query, the loader and the rules it calls), and it makes either impossible to
read, test or replace alone. Imports made inside functions count: they hide a
cycle from Python's import machinery, not from a reader. Imports only for type
checking (``if TYPE_CHECKING:``) do not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import cislog

PACKAGE = Path(cislog.__file__).parent


def _module_name(path: Path) -> str:
    parts = ("cislog", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


def _is_module(name: str) -> bool:
    place = PACKAGE.joinpath(*name.split(".")[1:])
    return place.with_suffix(".py").is_file() or (place / "__init__.py").is_file()


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The nodes under ``if TYPE_CHECKING:``, by id."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                hidden.update(id(inner) for inner in ast.walk(statement))
    return hidden


def _imports(path: Path) -> Iterator[str]:
    """The cislog modules a module imports at run time. ``from cislog import dates``
    imports the module ``cislog.dates``; ``from cislog.export import Export`` the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "cislog":
                continue
            named = [f"{node.module}.{alias.name}" for alias in node.names]
            yield from [name for name in named if _is_module(name)] or [node.module]
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "cislog")


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        graph[name] = set(_imports(path)) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm,
    iterative, so that no import chain is too deep for it)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in graph:
                    continue
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_and_only_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}

    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_modules_of_cislog_import_one_another_without_a_cycle() -> None:
    graph = import_graph()

    assert "cislog.query" in graph and "cislog.dataset" in graph["cislog.query"]
    assert cycles(graph) == []


# --- the kinds of record, each defined once ------------------------------------------


def test_every_kind_has_its_model_record_and_table_entry() -> None:
    from cislog.kinds import DEFAULT_FILES, KINDS, PLURALS, RECORD_KINDS
    from cislog.model import MODELS
    from cislog.records import RECORDS

    assert list(KINDS) == list(RECORD_KINDS) == list(MODELS) == list(RECORDS)
    assert all(MODELS[kind].KIND == kind == RECORDS[kind].KIND for kind in RECORD_KINDS)
    assert {kind: info.plural for kind, info in KINDS.items()} == PLURALS
    assert {kind: info.default_file for kind, info in KINDS.items()} == DEFAULT_FILES


def _kind_paragraph(readme: str, kind: str) -> str:
    import re

    pattern = r"\*\*`\[\[" + kind + r"\]\]`\*\*(.*?)(?=\n\*\*`\[\[|\n### )"
    found = re.search(pattern, readme, re.S)
    assert found, f"the README has no paragraph for [[{kind}]]"
    return found.group(1)


def test_the_readme_names_every_field_of_every_kind_and_of_its_entries() -> None:
    """A field added to a model and not to the README's "Record kinds" fails here."""
    import re

    from cislog.model import MODELS, entry_model

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for kind, model in MODELS.items():
        paragraph = _kind_paragraph(readme, kind)
        for name, field in model.model_fields.items():
            key = field.alias or name
            if key == "check_ignore":  # the same for every kind: documented once
                continue
            nested = entry_model(field.annotation)
            if nested is None:
                assert re.search(rf"`{key}\b", paragraph), f"[[{kind}]] {key}"
                continue
            assert f"`[[{kind}.{key}]]`" in paragraph, f"[[{kind}.{key}]]"
            for inner_name, inner in nested.model_fields.items():
                assert re.search(rf"`{inner.alias or inner_name}\b", paragraph), (
                    f"[[{kind}.{key}]] {inner.alias or inner_name}"
                )
    assert "`[[KIND.check_ignore]]` entries (`rule`, `reason`)" in readme


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """A module's top-level ``NAME = "text"`` assignments."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def _read_variable(node: ast.AST) -> ast.expr | None:
    """The variable's name (an expression) if ``node`` reads the environment."""
    if isinstance(node, ast.Call) and node.args:
        return node.args[0] if ast.unparse(node.func) in ("os.environ.get", "os.getenv") else None
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
        return node.slice
    if isinstance(node, ast.keyword) and node.arg == "envvar":
        return node.value
    return None


def environment_reads() -> list[tuple[str, str]]:
    """Each read of an environment variable in cislog's code, as (variable, module):
    ``os.environ.get(NAME)``, ``os.environ[NAME]``, ``os.getenv(NAME)``, a name given
    as a string or as a module-level constant, and Click's ``envvar=`` options."""
    reads: list[tuple[str, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _string_constants(tree)
        for node in ast.walk(tree):
            read = _read_variable(node)
            if read is None:
                continue
            name = (
                str(read.value)
                if isinstance(read, ast.Constant)
                else constants.get(ast.unparse(read), ast.unparse(read))
            )
            reads.append((name, _module_name(path)))
    return reads


def test_each_environment_variable_is_read_in_one_place() -> None:
    """A variable read twice can come to mean two things (``CISLOG_NO_CACHE=0`` once
    turned the cache off in the library and on in the CLI): the CLI leaves each one
    to the library, which reads it once."""
    reads = environment_reads()
    variables = [variable for variable, _ in reads]

    assert {"CISLOG_DATA", "CISLOG_NO_CACHE", "CISLOG_CACHE_DIR"} <= set(variables)
    assert [v for v in variables if variables.count(v) > 1] == []
    assert not [module for _, module in reads if module.startswith("cislog.cli")]
