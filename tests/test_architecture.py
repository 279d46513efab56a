"""The shape of the code: one-way imports, no cycles, small kernels, a clear public API.

These tests read the source (AST) and the import graph (grimp, the library behind
import-linter); they import no physics. The layer contracts themselves are in
``.importlinter`` and run by ``lint-imports`` in ``make test``; docs/architecture.md draws
the layers. What each test guards against, and why:

- an import cycle anywhere in ``osmolab`` (a cycle makes import order matter and hides
  which module owns what; the contracts check cycles between siblings, this test checks
  every module of the package at once and prints the cycle);
- tests importing scripts from ``docs/`` or ``benchmarks/`` (shared code belongs in the
  package or in a test helper, so that the tests run from any working directory);
- a function-local import without a ``# lazy: reason`` comment (such imports are kept for
  optional or heavy dependencies only; anything else goes at the top of the module, where
  a reader and import-linter see it);
- a Numba kernel with more than ``MAX_KERNEL_PARAMETERS`` parameters (kernels take named
  bundles, not dozens of positional arrays);
- a top-level name that does not resolve, or that ``import osmolab`` loads eagerly.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import osmolab

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(osmolab.__file__).resolve().parent
TESTS = ROOT / "tests"
MAX_KERNEL_PARAMETERS = 10
LAZY_TAG = "# lazy:"


def _source_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _relative(path: Path) -> str:
    for base in (ROOT, PACKAGE.parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# --- (a) no import cycles -------------------------------------------------------------------

def _strongly_connected_components(nodes, successors):
    """Tarjan's algorithm (iterative); components of more than one node are the cycles."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(successors(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(successors(child)))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
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
                components.append(sorted(component))
    return components


def _describe_cycle(graph, component):
    """One concrete cycle through the component, with the line of each import."""
    start = component[0]
    members = set(component)
    best = None
    for nxt in sorted(graph.find_modules_directly_imported_by(start) & members):
        chain = graph.find_shortest_chain(importer=nxt, imported=start)
        if chain and (best is None or len(chain) < len(best) - 1):
            best = (start, *chain)
    steps = []
    for importer, imported in zip(best, best[1:], strict=False):
        details = graph.get_import_details(importer=importer, imported=imported)
        lines = ", ".join(f"l.{d['line_number']}" for d in details) or "?"
        steps.append(f"{importer} -> {imported} ({lines})")
    return f"cycle among {component}:\n    " + "\n    ".join(steps)


def test_no_import_cycles_anywhere_in_osmolab():
    """No module of osmolab imports itself back through any chain, local imports included."""
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (test extra)")
    graph = grimp.build_graph("osmolab", cache_dir=None)
    modules = graph.modules
    components = _strongly_connected_components(
        modules, lambda m: graph.find_modules_directly_imported_by(m) & modules
    )
    cycles = [c for c in components if len(c) > 1]
    assert not cycles, "import cycles:\n" + "\n".join(_describe_cycle(graph, c) for c in cycles)


def test_cycle_finder_finds_a_known_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    components = _strongly_connected_components(edges, lambda m: edges[m])
    assert sorted(c for c in components if len(c) > 1) == [["a", "b", "c"]]


# --- (b) tests import nothing from docs/ or benchmarks/ ----------------------------------

_FILE_LOADERS = {"spec_from_file_location", "run_path", "SourceFileLoader", "load_source"}


def _script_names():
    names = {"docs", "benchmarks"}
    for folder in ("docs", "benchmarks"):
        names |= {p.stem for p in _source_files(ROOT / folder)}
    return names


def _is_sys_path(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "path"
            and isinstance(node.value, ast.Name) and node.value.id == "sys")


def _outside_imports(tree: ast.Module, scripts: set[str]):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in scripts:
                    yield node.lineno, f"imports {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in scripts:
                yield node.lineno, f"imports from {node.module}"
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _FILE_LOADERS:
                yield node.lineno, f"loads a module from a file ({name})"
            if isinstance(func, ast.Attribute) and _is_sys_path(func.value):
                yield node.lineno, f"changes sys.path ({func.attr})"
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_sys_path(t) for t in targets):
                yield node.lineno, "assigns sys.path"


def test_tests_import_nothing_from_docs_or_benchmarks():
    """Shared code lives in the package or a test helper, never in a docs/benchmarks script."""
    scripts = _script_names()
    local = {p.stem for p in _source_files(TESTS)}  # a test helper may share a script's name
    problems = [
        f"{_relative(path)}:{line}: {what}"
        for path in _source_files(TESTS)
        for line, what in sorted(_outside_imports(_parse(path), scripts - local))
    ]
    assert not problems, "tests reaching into docs/ or benchmarks/:\n" + "\n".join(problems)


def test_pytest_adds_no_docs_or_benchmarks_to_the_path():
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pythonpath = options.get("tool", {}).get("pytest", {}).get("ini_options", {})
    entries = pythonpath.get("pythonpath", [])
    entries = [entries] if isinstance(entries, str) else entries
    assert not [e for e in entries if Path(e).parts[:1] in (("docs",), ("benchmarks",))]


def test_outside_import_scan_sees_path_hacks():
    tree = ast.parse("import sys\nsys.path.insert(0, 'docs')\nimport fit_x\n")
    found = sorted(_outside_imports(tree, {"fit_x"}))
    assert [line for line, _ in found] == [2, 3]


# --- (c) every function-local import says why it is local ----------------------------------

def _local_imports(tree: ast.Module):
    """Import statements inside a function body (at any depth), with their line span."""
    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            yield from visit(child, inside)

    yield from visit(tree, False)


def _has_lazy_reason(lines: list[str], node) -> bool:
    for text in lines[node.lineno - 1:node.end_lineno]:
        _, tag, reason = text.partition(LAZY_TAG)
        if tag and reason.strip():
            return True
    return False


def test_function_local_imports_carry_a_lazy_reason():
    """Outside the CLI, an import inside a function is for an optional or heavy dependency
    (matplotlib, pandas, scipy.integrate, ...) and says so: ``import x  # lazy: reason``."""
    cli = PACKAGE / "cli"
    missing = []
    for path in _source_files(PACKAGE):
        if cli in path.parents:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in _local_imports(ast.parse(source, filename=str(path))):
            if not _has_lazy_reason(lines, node):
                missing.append(f"{_relative(path)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not missing, (
        f"{len(missing)} function-local imports without a '{LAZY_TAG} reason' comment "
        "(move them to the top of the module, or say why they must stay local):\n"
        + "\n".join(missing))


def test_local_import_scan_finds_nested_imports():
    source = ("import os\n"
              "def f():\n"
              "    import json  # lazy: only for output\n"
              "    def g():\n"
              "        from math import (\n"
              "            pi,\n"
              "        )\n"
              "class C:\n"
              "    import re\n")
    lines = source.splitlines()
    found = [(n.lineno, _has_lazy_reason(lines, n)) for n in _local_imports(ast.parse(source))]
    assert found == [(3, True), (5, False)]


# --- (d) Numba kernels take named bundles ------------------------------------------------

_JIT_NAMES = {"njit", "jit"}


def _is_jit(decorator) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Name):
        return target.id in _JIT_NAMES
    if isinstance(target, ast.Attribute):
        return target.attr in _JIT_NAMES and isinstance(target.value, ast.Name) \
            and target.value.id == "numba"
    return False


def _parameter_count(args: ast.arguments) -> int:
    return (len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
            + (args.vararg is not None) + (args.kwarg is not None))


def _jitted_functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(_is_jit(d) for d in node.decorator_list):
            yield node


def test_numba_kernels_take_at_most_ten_parameters():
    """Kernels group their inputs in named bundles (NamedTuples) instead of long argument lists."""
    too_long = []
    for path in _source_files(PACKAGE):
        for node in _jitted_functions(_parse(path)):
            n = _parameter_count(node.args)
            if n > MAX_KERNEL_PARAMETERS:
                too_long.append(f"{_relative(path)}:{node.lineno}: {node.name} takes {n}")
    assert not too_long, (
        f"Numba kernels with more than {MAX_KERNEL_PARAMETERS} parameters:\n" + "\n".join(too_long))


def test_kernel_scan_recognises_every_decorator_form():
    source = ("import numba\nfrom numba import njit, jit\n"
              "@njit\ndef a(x): pass\n"
              "@njit(cache=True)\ndef b(x, y): pass\n"
              "@numba.njit(cache=True)\ndef c(*x, **y): pass\n"
              "@jit(nopython=True)\ndef d(x, /, y, *, z): pass\n"
              "@staticmethod\ndef e(x): pass\n")
    found = {n.name: _parameter_count(n.args) for n in _jitted_functions(ast.parse(source))}
    assert found == {"a": 1, "b": 2, "c": 2, "d": 3}


# --- public API ------------------------------------------------------------------------------

def test_every_top_level_name_resolves():
    missing = []
    for name in osmolab.__all__:
        try:
            getattr(osmolab, name)
        except (AttributeError, ImportError) as exc:
            missing.append(f"{name}: {type(exc).__name__}: {exc}")
    assert not missing, "osmolab.__all__ names that do not resolve:\n" + "\n".join(missing)
    assert set(osmolab.__all__) <= set(dir(osmolab))


def test_top_level_names_come_from_their_subpackage_or_module():
    """Each lazy name is the object its defining module exports (not a copy)."""
    for name, module in osmolab._LAZY.items():
        assert getattr(osmolab, name) is getattr(importlib.import_module(module), name), name


def test_top_level_docstring_lists_every_public_name():
    doc = osmolab.__doc__
    absent = [n for n in osmolab.__all__ if not n.startswith("__") and f"``{n}``" not in doc]
    assert not absent, f"osmolab's docstring does not list: {absent}"


def test_unknown_top_level_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        osmolab.not_a_name  # noqa: B018


def test_import_osmolab_stays_light():
    """``import osmolab`` loads no subpackage and none of the heavy dependencies."""
    code = ("import sys, osmolab\n"
            "heavy = ('numba', 'scipy', 'pandas', 'matplotlib', 'pint', 'pydantic', 'typer')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
            "             or (m.startswith('osmolab.') and m != 'osmolab.errors')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout
