"""Import structure of thermo/, osmosis/ and transport/{gas,liquid}: one way, no hidden cycles.

The package-wide layer contracts are import-linter's; this checks, for the modules here, what
import-linter does not: imports inside functions are only the lazy imports of heavy or
optional dependencies (each with a ``# lazy: reason`` comment), the module graph inside thermo
is acyclic, and the public names of each subpackage are importable from it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import osmolab.osmosis
import osmolab.thermo
import osmolab.transport

SRC = Path(osmolab.thermo.__file__).resolve().parents[1]
MODULES = sorted(
    [
        *(SRC / "thermo").glob("*.py"),
        *(SRC / "osmosis").glob("*.py"),
        SRC / "transport" / "__init__.py",
        SRC / "transport" / "gas.py",
        SRC / "transport" / "liquid.py",
        SRC / "data" / "__init__.py",
    ]
)
#: the only modules that may be imported inside a function (heavy or optional)
LAZY_ALLOWED = {"pandas", "pint", "scipy", "matplotlib", "phreeqpython"}


def _local_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
            yield node


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_function_local_imports_are_lazy_heavy_dependencies(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in _local_imports(path):
        if isinstance(node, ast.ImportFrom):
            root = "." if node.level else (node.module or "").split(".")[0]
        else:
            root = node.names[0].name.split(".")[0]
        where = f"{path.name}:{node.lineno}"
        assert root in LAZY_ALLOWED, f"{where}: function-local import of {root!r}"
        assert "# lazy:" in lines[node.lineno - 1], f"{where}: lazy import without '# lazy:'"


def _thermo_graph():
    graph = {}
    for path in (SRC / "thermo").glob("*.py"):
        name = path.stem
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:
                    deps.update(alias.name for alias in node.names)
        graph[name] = deps - {name}
    return graph


def test_thermo_module_graph_is_acyclic_and_stays_in_its_layer():
    graph = _thermo_graph()
    done, active = set(), []

    def visit(node):
        if node in active:
            cycle = active[active.index(node) :] + [node]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if node in done:
            return
        active.append(node)
        for dep in graph.get(node, ()):
            if dep != "__init__":
                visit(dep)
        active.pop()
        done.add(node)

    for node in graph:
        visit(node)
    # the composition knows nothing of the models built on it
    assert not graph["solution"] & {"osmotic", "tonicity", "pitzer", "examples", "validation"}
    assert not graph["osmotic"] & {"tonicity", "examples", "validation"}
    # thermo imports only the base layer from outside itself
    for path in (SRC / "thermo").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                assert node.module in {"constants", "data", "errors", "units"}, path.name


def test_subpackages_export_their_public_names():
    from osmolab.thermo import Solution, osmotic_pressure, tonicity  # noqa: F401

    for package in (osmolab.thermo, osmolab.osmosis, osmolab.transport):
        missing = [name for name in package.__all__ if not hasattr(package, name)]
        assert not missing, (package.__name__, missing)
    assert osmolab.osmosis.Osmometer.__module__ == "osmolab.osmosis.osmometer"


def test_top_level_convenience_api():
    import osmolab

    solution = osmolab.Solution.seawater(0.035)
    assert osmolab.osmotic_pressure(solution) == osmolab.thermo.osmotic_pressure(solution)
    assert osmolab.tonicity is osmolab.thermo.tonicity
    assert osmolab.effective_osmolality is osmolab.thermo.effective_osmolality


def test_import_osmolab_does_not_load_heavy_modules():
    code = (
        "import sys, osmolab, osmolab.thermo, osmolab.osmosis, osmolab.transport; "
        "print(' '.join(m for m in ('matplotlib', 'scipy.integrate', 'pandas') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "matplotlib" not in loaded
    assert "scipy.integrate" not in loaded
