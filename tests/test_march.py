"""Structure of the RO kernels (osmolab.ro.march, osmolab.ro.solver): named bundles, named
output columns, the one property-table interpolation."""

import ast
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from osmolab.ro import march
from osmolab.ro.feedwater import interpolate, property_table, seawater_composition

RO = Path(march.__file__).resolve().parent
MAX_KERNEL_PARAMETERS = 10


def _kernels(path):
    """(name, number of parameters) of every @njit function in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if isinstance(target, ast.Name) and target.id == "njit":
                a = node.args
                yield node.name, len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)


@pytest.mark.parametrize("module", ["march.py", "solver.py"])
def test_no_kernel_takes_more_than_ten_parameters(module):
    kernels = dict(_kernels(RO / module))
    assert kernels, f"no @njit kernels found in {module}"
    too_many = {k: n for k, n in kernels.items() if n > MAX_KERNEL_PARAMETERS}
    assert not too_many, f"kernels with more than {MAX_KERNEL_PARAMETERS} parameters: {too_many}"


def test_column_constants_name_the_columns():
    for i, name in enumerate(march.ELEMENT_FIELDS):
        assert getattr(march, "EL_" + name.upper()) == i
    for i, name in enumerate(march.CASE_FIELDS):
        assert getattr(march, "CASE_" + name.upper()) == i
    assert march.N_EL_FIELDS == len(march.ELEMENT_FIELDS)
    assert march.N_CASE_FIELDS == len(march.CASE_FIELDS)
    assert not hasattr(march, "_F") and not hasattr(march, "_C")


def _kernel_output_subscripts(path):
    """Subscripts ``x[..., <int>]`` of names bound to kernel outputs in ``path``:
    ``out["case"]``, ``out["element"]`` and the names assigned from them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    outputs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
            sl = node.value.slice
            if isinstance(sl, ast.Constant) and sl.value in ("case", "element"):
                outputs |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Tuple):
            continue
        value = node.value
        is_output = (isinstance(value, ast.Name) and value.id in outputs) or (
            isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant)
            and value.slice.value in ("case", "element"))
        last = node.slice.elts[-1]
        if is_output and isinstance(last, ast.Constant) and isinstance(last.value, int):
            bad.append(f"{path.name}:{node.lineno}")
    return bad


@pytest.mark.parametrize("module", ["train.py", "results.py"])
def test_kernel_columns_are_read_by_name(module):
    """train.py and results.py read kernel outputs through the EL_*/CASE_* constants."""
    assert _kernel_output_subscripts(RO / module) == []


def test_results_read_the_named_columns():
    """What the results report is what the kernel wrote in the named columns."""
    from osmolab.ro.config import Feed, Pass, Stage, System, Target
    from osmolab.ro.train import simulate

    system = System(Feed(flow=20 / 3600, salinity=0.035),
                    [Pass([Stage(vessels=2, elements_per_vessel=3, element="SW30XLE-440i")])],
                    target=Target("recovery", 0.40))
    result = simulate(system)
    p = result.passes[0]
    case = p["out"]["case"]
    assert_allclose(p["feed_volume"], case[:, march.CASE_FEED_VOLUME])
    assert_allclose(p["permeate_volume"], case[:, march.CASE_PERMEATE_VOLUME])
    assert_allclose(p["concentrate_volume"], case[:, march.CASE_CONCENTRATE_VOLUME])
    assert_allclose(p["concentrate_pressure"], case[:, march.CASE_CONCENTRATE_PRESSURE])
    el = p["out"]["element"][0]
    rows = result.to_dict()["elements"]
    assert_allclose([r["flux_LMH"] for r in rows], el[:, march.EL_AVERAGE_FLUX] * 3.6e6)
    assert_allclose([r["beta"] for r in rows], el[:, march.EL_BETA])
    assert_allclose([r["feed_pressure_bar"] for r in rows], el[:, march.EL_FEED_PRESSURE] / 1e5)
    # the pass's permeate water is its elements' (per vessel) times the 2 vessels
    assert_allclose(el[:, march.EL_PERMEATE_WATER].sum() * 2,
                    case[0, march.CASE_PERMEATE_WATER], rtol=1e-12)


def _bilinear_reference(values, table, m, temperature):
    """Bilinear interpolation written out with NumPy (the former ro.train._bilinear)."""
    fm = np.sqrt(np.clip(m, 0.0, None)) / table.m_step
    im = np.minimum(fm.astype(int), values.shape[1] - 2)
    wm = fm - im
    ft = np.clip((temperature - table.t_start) / table.t_step, 0.0, values.shape[0] - 1.0)
    it = np.minimum(ft.astype(int), values.shape[0] - 2)
    wt = ft - it
    v0 = values[it, im] + (values[it, im + 1] - values[it, im]) * wm
    v1 = values[it + 1, im] + (values[it + 1, im + 1] - values[it + 1, im]) * wm
    return v0 + (v1 - v0) * wt


def test_one_interpolation_helper_matches_bilinear_formula():
    table = property_table(seawater_composition(0.035))
    rng = np.random.default_rng(3)
    m = np.concatenate([[0.0, 1e-9, 8.0, 9.5], rng.uniform(0.0, 8.0, 200)])
    t = np.concatenate([[273.15, 323.15, 260.0, 340.0], rng.uniform(273.15, 323.15, 200)])
    for values in (table.osmotic_pressure, table.density, table.water_density,
                   table.viscosity, table.diffusivity):
        assert_allclose(interpolate(table, values, m, t),
                        _bilinear_reference(values, table, m, t), rtol=1e-14)
    # broadcasting: one temperature for many molalities
    assert interpolate(table, table.density, m[:5], 298.15).shape == (5,)


def test_property_table_is_a_named_tuple():
    table = property_table(seawater_composition(0.035))
    assert isinstance(table, tuple) and table._fields[:3] == ("m_step", "t_start", "t_step")


def test_local_fluxes_solve_the_laws_of_transport_membrane():
    """The kernel's local solve (fused Newton iteration with analytic derivatives) gives
    fluxes that satisfy the documented laws of osmolab.transport.membrane: Schock & Miquel
    mass transfer and friction, film-theory polarisation, solution-diffusion passage and
    J_w = A [dP - (Pi(m_wall) - Pi(m_permeate))]."""
    from osmolab.ro.feedwater import nacl_composition, table_value, temperature_row
    from osmolab.transport import membrane as mb

    comp = nacl_composition(0.035)
    table = property_table(comp)
    temperature = 298.15
    tf = float(temperature_row(table, temperature))
    a_perm, b_salt, dp = 1.2e-12, 2.5e-8, 60e5
    width, height, porosity = 18.5, 7.1e-4, 0.89
    d_h = float(mb.hydraulic_diameter_spacer(height, porosity))
    cw0 = table_value(table.water_density, 0.0, tf, table.m_step)
    qw = 3.0  # water per vessel [kg/s]
    n = comp.molality * qw
    site = march._Site(a_perm, b_salt, width, height, porosity, d_h, -1.0,
                       mb.correlation_code("Schock_Miquel"), tf, cw0,
                       np.zeros(2, dtype=np.int64), np.ones(1))
    feed = march.Feed(np.array([qw]), n[None, :].copy(), np.array([tf]), comp.molar_mass,
                      comp.charge)
    work = march._Work(np.empty(2), np.empty(2), np.empty(2))
    js = np.empty(2)
    jw, dpdx, ndp, beta, cw_perm, m_total = march._local(site, table, feed, qw, n, dp, -1.0,
                                                          work, js)

    # channel hydraulics and mass transfer, from the vectorised laws
    m_b = comp.molality.sum()
    assert_allclose(m_total, m_b, rtol=1e-14)
    rho, mu, diff, cw = (float(interpolate(table, v, m_b, temperature)) for v in (
        table.density, table.viscosity, table.diffusivity, table.water_density))
    u = qw * (1.0 + comp.molality @ comp.molar_mass) / rho / (width * height * porosity)
    re, sc = rho * u * d_h / mu, mu / (rho * diff)
    k = float(mb.Schock_Miquel(re, sc)) * diff / d_h
    assert_allclose(dpdx, mb.channel_pressure_gradient(mb.Schock_Miquel_friction(re), rho, u,
                                                       d_h), rtol=1e-12)
    # solution-diffusion passage with film-theory polarisation
    passage = float(mb.permeate_concentration(1.0, jw, b_salt, k))
    assert_allclose(js, jw * cw * passage * comp.molality, rtol=1e-12)
    m_wall = float(mb.wall_concentration(m_b, passage * m_b, jw, k))
    m_perm = passage * m_b * cw / cw0
    assert_allclose(beta, m_wall / m_b, rtol=1e-12)
    # the water flux against the osmotic pressures at the wall and in the permeate
    pi_wall, pi_perm = (float(interpolate(table, table.osmotic_pressure, m, temperature))
                        for m in (m_wall, m_perm))
    assert_allclose(ndp, dp - (pi_wall - pi_perm), rtol=1e-12)
    assert_allclose(jw, mb.water_flux(a_perm, dp, pi_wall - pi_perm), rtol=1e-9)
    assert 5.0 < jw * 3.6e6 < 60.0  # a seawater flux [LMH]
