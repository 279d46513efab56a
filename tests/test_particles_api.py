"""Public names of osmolab.particles and its import rules (issue 8)."""

import ast
from pathlib import Path

import osmolab.particles as particles
from osmolab.particles import PistonOsmometer, ReverseOsmosis

PACKAGE = Path(particles.__file__).parent


def test_every_exported_name_exists_and_the_osmometer_name_is_not_shared():
    for name in particles.__all__:
        assert hasattr(particles, name), name
    # the continuum osmometer is osmolab.osmosis.Osmometer; the particle one says what it is
    assert "Osmometer" not in particles.__all__ and not hasattr(particles, "Osmometer")
    assert issubclass(PistonOsmometer, ReverseOsmosis)
    assert PistonOsmometer().kind == "osmometer" and PistonOsmometer().pressure_ratio == 0.7


def test_function_local_imports_only_for_lazy_dependencies_with_a_reason():
    # imports inside functions are allowed only for an optional or heavy dependency, each
    # with a "# lazy: reason" comment on its line
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        lines = path.read_text().splitlines()
        for func in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and "# lazy:" not in lines[node.lineno - 1]:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, f"function-local imports without a '# lazy: reason' comment: {offenders}"
