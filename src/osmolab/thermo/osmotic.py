r"""Osmotic pressure, osmotic coefficient, water activity, osmolality and tonicity.

Three models give the osmotic coefficient :math:`\phi` of a solution:

``ideal``
    van 't Hoff: :math:`\phi = 1` (exact in the dilute limit only).
``pitzer``
    The multi-electrolyte Pitzer model (Harvie, Moller & Weare 1984 form, neutral solutes
    through lambda parameters) of :mod:`osmolab.thermo.pitzer`.
``seawater``
    Sharqawy, Lienhard & Zubair (2010), from the salinity of the solution (0-120 g/kg,
    0-120 degC), see :mod:`osmolab.thermo.seawater`.

Everything else follows from :math:`\phi` and the molalities :math:`m_i`:

.. math::
    \ln a_w = -\phi M_w \sum_i m_i, \qquad
    \Pi = -\frac{RT}{\bar V_w}\ln a_w, \qquad
    \text{osmolality} = \phi \sum_i m_i

with :math:`\bar V_w` the molar volume of pure water at T (Kell 1975). Tonicity (the
effective osmolality across a membrane against a reference) builds on this module in
:mod:`osmolab.thermo.tonicity`.

Default model
-------------
Every function here that takes ``model=`` (and those of :mod:`osmolab.thermo.tonicity`)
defaults to ``model=None``: :func:`choose_model` picks the most accurate model valid for
the solution and says why in the warnings. Pass ``"pitzer"``, ``"seawater"`` or
``"ideal"`` to force one.

Examples
--------
>>> from osmolab.thermo.solution import Solution
>>> r = osmotic_properties(Solution.from_string("NaCl 1 mol/kg"))
>>> r.model, round(r.osmotic_coefficient, 3), round(r.osmotic_pressure / 1e5, 1)
('pitzer', 0.936, 46.3)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..constants import M_WATER, T0, R
from ..errors import InputError, ModelRangeWarning, suggest
from . import pitzer, seawater
from .solution import Solution, as_solution
from .water import molar_volume as water_molar_volume

__all__ = [
    "MODELS",
    "OsmoticResult",
    "choose_model",
    "osmotic_coefficient",
    "water_activity",
    "osmolality",
    "osmolarity",
    "osmotic_pressure",
    "osmotic_pressure_from_water_activity",
    "osmotic_properties",
    "evaluate",
    "model_osmotic_coefficient",
    "emit_warnings",
    "plain",
]

#: Models of the osmotic coefficient, most accurate first.
MODELS = ("pitzer", "seawater", "ideal")

#: Ionic strength [mol/kg] beyond which the Pitzer model is refused (far outside any fit).
PITZER_HARD_LIMIT = 20.0
#: Multiple of the highest molality a neutral solute's Pitzer parameters were fitted to
#: beyond which the model is refused (its virial series diverges: sucrose 20 mol/kg would
#: give phi = 7); the same margin as PITZER_HARD_LIMIT over the ~6 mol/kg ionic fits.
PITZER_NEUTRAL_FACTOR = 3.0
#: Relative share of total molality that species without Pitzer parameters may have and
#: still be treated ideally inside a Pitzer calculation (silently below 1e-3, with a
#: warning up to this limit).
PITZER_TRACE_SHARE = 0.02
#: Salinity [kg/kg] and temperature [K] ranges of the seawater correlation (Sharqawy 2010).
SEAWATER_RANGE = {"salinity": (0.01, 0.12), "temperature": (273.15, 393.15)}
#: Total molality [mol/kg] below which the ideal model is within ~3 % for 1:1 salts.
IDEAL_LIMIT = 0.01


# --------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------
@dataclass
class OsmoticResult:
    """Osmotic properties of a solution (floats, or arrays for a batch of solutions).

    Attributes
    ----------
    osmotic_pressure : float
        [Pa].
    osmotic_coefficient : float
        Molal osmotic coefficient phi [-].
    water_activity : float
        [-].
    osmolality : float
        phi * sum m [osmol/kg water].
    osmolarity : float
        phi * sum c [osmol/m^3] (= mOsm/L).
    model : str
        Model used (``pitzer``, ``seawater`` or ``ideal``).
    temperature : float
        [K].
    warnings : list of str
        Validity-range and model-choice notes.
    """

    osmotic_pressure: float
    osmotic_coefficient: float
    water_activity: float
    osmolality: float
    osmolarity: float
    model: str
    temperature: float
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dictionary with units in the keys (the CLI's ``--json`` keys)."""
        return {
            "osmotic_pressure_bar": plain(np.asarray(self.osmotic_pressure) / 1e5),
            "osmotic_coefficient": plain(self.osmotic_coefficient),
            "water_activity": plain(self.water_activity),
            "osmolality_mOsm_per_kg": plain(np.asarray(self.osmolality) * 1e3),
            "osmolarity_mOsm_per_L": plain(self.osmolarity),
            "model": self.model,
            "temperature_C": self.temperature - T0,
            "warnings": list(self.warnings),
        }


def plain(x):
    """A Python scalar for a 0-d value, the array itself otherwise (result fields)."""
    x = np.asarray(x)
    if x.ndim == 0:
        return x.item()
    return x


# --------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------
def _check_model(model) -> str:
    if not isinstance(model, str) or model.strip().lower() not in MODELS:
        raise InputError(
            f"unknown osmotic model {model!r}; use one of "
            f"{', '.join(MODELS)}.{suggest(str(model), MODELS)}"
        )
    return model.strip().lower()


# --------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------
def _phi_ideal(solution: Solution):
    notes = []
    if np.any(np.asarray(solution.total_molality) > IDEAL_LIMIT):
        notes.append(
            "ideal (van 't Hoff) model ignores non-ideality: expect errors of several % above "
            f"{IDEAL_LIMIT * 1e3:g} mmol/kg (phi of NaCl 0.1 mol/kg is 0.932, not 1)"
        )
    return np.ones(solution.shape), notes


def _phi_seawater(solution: Solution):
    salinity = np.asarray(solution.salinity, dtype=float)
    notes = []
    if not solution.is_seawater:
        notes.append(
            "seawater model applied to a non-seawater composition: its dissolved "
            "solids are treated as sea salt of reference composition"
        )
    s_lo, s_hi = SEAWATER_RANGE["salinity"]
    t_lo, t_hi = SEAWATER_RANGE["temperature"]
    t = solution.temperature
    if np.any(salinity > s_hi) or np.any(salinity < s_lo) or t < t_lo or t > t_hi:
        notes.append(
            f"seawater model (Sharqawy et al. 2010) used outside its range "
            f"{s_lo * 1e3:g}-{s_hi * 1e3:g} g/kg, 0-120 degC (here "
            f"{float(np.min(salinity)) * 1e3:.3g}-{float(np.max(salinity)) * 1e3:.3g} g/kg, "
            f"{t - T0:.1f} degC)"
        )
    phi_sw = seawater.osmotic_coefficient(salinity, t, warn=False)
    # Sharqawy's phi refers to the sea-salt molality m_S = S / ((1 - S) M_S); refer it to
    # the sum of the species' molalities (identical for reference-composition seawater)
    m_salt = np.asarray(seawater.salinity_to_molality(salinity))
    total = np.asarray(solution.total_molality, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(total > 0, phi_sw * m_salt / np.where(total > 0, total, 1.0), 1.0)
    return phi, notes


def _pitzer_coverage(solution: Solution):
    """(species present without Pitzer parameters, their largest share of total molality)."""
    supported = pitzer.supported_species()
    m = solution.molality_array
    if all(n in supported for n in solution.species):
        return [], 0.0
    peak = m.reshape(len(solution.species), -1).max(axis=1)
    missing = [
        n for n, v in zip(solution.species, peak, strict=True) if v > 0 and n not in supported
    ]
    total = np.sum(m, axis=0)
    if missing:
        idx = [solution.species.index(n) for n in missing]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, np.sum(m[idx], axis=0) / np.where(total > 0, total, 1), 0.0)
        share = float(np.max(share))
    else:
        share = 0.0
    return missing, share


def _pitzer_refusal(solution: Solution) -> str | None:
    """Why the Pitzer model cannot be used at all here (far outside its fits), or None."""
    ionic = float(np.max(np.asarray(solution.ionic_strength)))
    if ionic > PITZER_HARD_LIMIT:
        return (
            f"ionic strength {ionic:.3g} mol/kg is far outside the Pitzer model's range "
            f"(fitted to about 6 mol/kg, refused above {PITZER_HARD_LIMIT:g}); check the amounts "
            "and units"
        )
    limits = pitzer.neutral_fit_limits()
    m = solution.molality_array
    peak = m.reshape(len(solution.species), -1).max(axis=1)
    for name, value in zip(solution.species, peak, strict=True):
        limit = limits.get(name)
        if limit is not None and value > PITZER_NEUTRAL_FACTOR * limit:
            return (
                f"{name} at {value:.3g} mol/kg is far outside the Pitzer model's range "
                f"(its parameters are fitted to {limit:.3g} mol/kg, refused above "
                f"{PITZER_NEUTRAL_FACTOR * limit:.3g}); check the amounts and units"
            )
    return None


_VALIDITY_MEMO: dict = {}


def _pitzer_notes(solution: Solution, missing) -> list[str]:
    """Pitzer validity notes, computed once per solution (on the largest molality of each
    species over a batch: the batch's corner, so the cost does not grow with its size)."""
    cached = solution.memo.get("pitzer_notes")
    if cached is not None:
        return list(cached)
    notes: list[str] = []
    m = solution.molality_array
    peak = m.reshape(len(solution.species), -1).max(axis=1)
    supported = pitzer.supported_species()
    corner = {n: float(v) for n, v in zip(solution.species, peak, strict=True) if n in supported}
    if corner:
        # the notes depend on the species set, T, which salts are major (at least
        # pitzer.MAJOR_MOLALITY) and, above 6 mol/kg, the ionic strength: memoise on exactly
        # that
        ionic = float(np.max(np.asarray(solution.ionic_strength)))
        key = (
            tuple(corner),
            solution.temperature,
            tuple(v >= pitzer.MAJOR_MOLALITY for v in corner.values()),
            round(ionic, 2) if ionic > 5.9 else None,
        )
        notes = _VALIDITY_MEMO.get(key)
        if notes is None:
            notes = list(pitzer.validity(corner, solution.temperature))
            if len(_VALIDITY_MEMO) > 4096:
                _VALIDITY_MEMO.clear()
            _VALIDITY_MEMO[key] = notes
        notes = list(notes)
    solution.memo["pitzer_notes"] = tuple(notes)
    return notes


def _phi_pitzer(solution: Solution):
    notes = []
    missing, share = _pitzer_coverage(solution)
    if share > PITZER_TRACE_SHARE:
        raise InputError(
            f"the Pitzer model has no parameters for {', '.join(missing)} "
            f"({share * 100:.1f} % of the solutes); use model='ideal' or leave the model "
            f"unset to let osmolab choose"
        )
    if missing and share > 1e-3:
        notes.append(
            f"no Pitzer parameters for {', '.join(missing)} "
            f"({share * 100:.2f} % of the solutes): treated as ideal"
        )
    refusal = _pitzer_refusal(solution)
    if refusal is not None:
        raise InputError(refusal)
    m = solution.molality_array
    names = solution.species
    supported = pitzer.supported_species()
    covered = {n: m[i] for i, n in enumerate(names) if n in supported}
    total = np.sum(m, axis=0)
    t = solution.temperature
    notes += _pitzer_notes(solution, missing)
    if covered:
        phi_covered = np.asarray(pitzer.osmotic_coefficient(covered, t), dtype=float)
        total_covered = np.sum([covered[n] for n in covered], axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            phi = np.where(
                total > 0,
                (phi_covered * total_covered + (total - total_covered))
                / np.where(total > 0, total, 1.0),
                1.0,
            )
    else:
        phi = np.ones(solution.shape)
    if np.any(phi <= 0):
        bare = [n for n in notes if n.startswith("no binary Pitzer parameters")]
        if bare:
            raise InputError(
                bare[0].split(":")[0] + ": the Debye-Huckel term alone gives an unphysical "
                "osmotic coefficient here; use model='ideal' (CLI --model ideal)"
            )
        raise InputError(
            "the Pitzer model is extrapolated far beyond its fitted molality range here "
            "(unphysical osmotic coefficient); reduce the concentrations or use model='ideal'"
        )
    return np.reshape(phi, solution.shape), notes


_MODEL_FUNCTIONS = {"ideal": _phi_ideal, "seawater": _phi_seawater, "pitzer": _phi_pitzer}


def choose_model(solution) -> tuple[str, list[str]]:
    """The most accurate model valid for ``solution``, and why.

    Pitzer when it has parameters for all (non-trace) solutes and the solution is within its
    fitted range; else the seawater correlation for reference-composition seawater within
    10-120 g/kg and 0-120 degC; else Pitzer outside its range (with a warning) when it
    covers the solutes; else ideal, with a warning. Far beyond every fit (ionic strength
    above :data:`PITZER_HARD_LIMIT`, a neutral solute above :data:`PITZER_NEUTRAL_FACTOR`
    times its fitted range) it raises :class:`~osmolab.errors.InputError`.

    Examples
    --------
    >>> from osmolab.thermo.solution import Solution
    >>> choose_model(Solution.seawater(0.035))[0], choose_model(Solution({"NaCl": 1}))[0]
    ('pitzer', 'pitzer')
    """
    solution = as_solution(solution)
    pitzer_ok = False
    pitzer_notes: list[str] = []
    refusal = _pitzer_refusal(solution)
    if refusal is not None:
        # far beyond every fit (no seawater correlation reaches there either): the ideal
        # model would print a confident but meaningless number
        raise InputError(
            refusal + ", or ask for the ideal model explicitly (model='ideal', CLI --model ideal)"
        )
    missing, share = _pitzer_coverage(solution)
    if share <= PITZER_TRACE_SHARE:
        pitzer_ok = True
        pitzer_notes = _pitzer_notes(solution, missing)
    if pitzer_ok and not pitzer_notes:
        return "pitzer", []
    if solution.is_seawater:
        salinity = np.asarray(solution.salinity)
        t = solution.temperature
        if (
            np.all(salinity >= SEAWATER_RANGE["salinity"][0])
            and np.all(salinity <= SEAWATER_RANGE["salinity"][1])
            and SEAWATER_RANGE["temperature"][0] <= t <= SEAWATER_RANGE["temperature"][1]
        ):
            return "seawater", (
                [
                    "Pitzer model outside its range here; using the seawater "
                    "correlation (Sharqawy et al. 2010)"
                ]
                if pitzer_ok
                else []
            )
    if pitzer_ok:
        return "pitzer", []
    missing, _ = _pitzer_coverage(solution)
    return "ideal", [
        f"no Pitzer parameters for {', '.join(missing)}; using the ideal (van 't Hoff) model"
    ]


def model_osmotic_coefficient(solution: Solution, model: str):
    """Osmotic coefficient [-] of ``solution`` with the named ``model``, and validity notes.

    The building block of :func:`evaluate` (no model choice, no warnings emitted).

    Parameters
    ----------
    solution : Solution
        The solution (a batch allowed).
    model : {'pitzer', 'seawater', 'ideal'}
        The model.

    Returns
    -------
    phi : numpy.ndarray
        Osmotic coefficient, with the solution's batch shape [-].
    notes : list of str
        Validity-range notes.

    Examples
    --------
    >>> phi, notes = model_osmotic_coefficient(Solution({"NaCl": 1.0}), "pitzer")
    >>> round(float(phi), 3), notes
    (0.936, [])
    """
    return _MODEL_FUNCTIONS[_check_model(model)](solution)


def evaluate(solution: Solution, model=None):
    """Osmotic coefficient of a solution, the model used and its notes (nothing emitted).

    Parameters
    ----------
    solution : Solution
        The solution (see :func:`~osmolab.thermo.solution.as_solution` for other inputs).
    model : {'pitzer', 'seawater', 'ideal'} or None, default None
        None picks the most accurate valid model (:func:`choose_model`).

    Returns
    -------
    phi : numpy.ndarray
        Osmotic coefficient [-].
    model : str
        The model used.
    notes : list of str
        Model-choice and validity-range notes.

    Examples
    --------
    >>> phi, model, notes = evaluate(Solution.seawater(0.035), "seawater")
    >>> round(float(phi), 4), model, notes
    (0.9068, 'seawater', [])
    """
    if model is None:
        model, notes = choose_model(solution)
    else:
        model, notes = _check_model(model), []
    phi, more = _MODEL_FUNCTIONS[model](solution)
    phi = np.asarray(phi, dtype=float)
    if not np.all(np.isfinite(phi)):  # pragma: no cover - a model bug, never user input
        raise InputError(
            f"the {model} model gave no finite osmotic coefficient here; try another model"
        )
    return phi, model, notes + more


def emit_warnings(notes, stacklevel=3):
    """Emit each note as a :class:`~osmolab.errors.ModelRangeWarning`."""
    for note in notes:
        warnings.warn(note, ModelRangeWarning, stacklevel=stacklevel)


# --------------------------------------------------------------------------------------
# public vectorised functions
# --------------------------------------------------------------------------------------
def osmotic_coefficient(molalities, temperature=None, model=None):
    r"""Molal osmotic coefficient of a solution, vectorised over compositions.

    Parameters
    ----------
    molalities : mapping or Solution
        Species or salt name -> molality [mol/kg water], scalars or arrays of one shape
        (any accepted spelling; salts are expanded into ions).
    temperature : float, optional
        Temperature [K]; default the solution's (298.15 K for a mapping).
    model : {'pitzer', 'seawater', 'ideal'} or None, default None
        None picks the most accurate valid model (:func:`choose_model`).

    Returns
    -------
    numpy.ndarray or float
        :math:`\phi` [-], with the shape of the molality arrays.

    Notes
    -----
    :math:`\phi = -\ln a_w / (M_w \sum_i m_i)`. Validity-range notes are emitted as
    :class:`~osmolab.errors.ModelRangeWarning`.

    References
    ----------
    .. [1] Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed.,
       Butterworths, Appendix 8.10 (NaCl: 0.932 at 0.1, 0.936 at 1.0, 0.983 at 2.0 mol/kg).

    Examples
    --------
    >>> phi = osmotic_coefficient({"NaCl": np.array([0.1, 1.0, 2.0])})
    >>> [round(float(x), 3) for x in phi]
    [0.933, 0.936, 0.984]
    """
    solution = as_solution(molalities, temperature)
    phi, _, notes = evaluate(solution, model)
    emit_warnings(notes)
    return plain(phi)


def water_activity(molalities, temperature=None, model=None):
    r"""Activity of water [-], :math:`a_w = \exp(-\phi M_w \sum m_i)`.

    Parameters are those of :func:`osmotic_coefficient`.

    Examples
    --------
    >>> round(water_activity({"NaCl": 1.0}), 4)
    0.9668
    """
    solution = as_solution(molalities, temperature)
    phi, _, notes = evaluate(solution, model)
    emit_warnings(notes)
    return plain(np.exp(-phi * M_WATER * np.asarray(solution.total_molality)))


def osmolality(molalities, temperature=None, model=None):
    r"""Osmolality :math:`\phi\sum_i m_i` [osmol/kg water].

    Examples
    --------
    >>> round(osmolality({"NaCl": 0.1547}) * 1e3)
    287
    """
    solution = as_solution(molalities, temperature)
    phi, _, notes = evaluate(solution, model)
    emit_warnings(notes)
    return plain(phi * np.asarray(solution.total_molality))


def osmolarity(solution, temperature=None, model=None):
    r"""Osmolarity :math:`\phi\sum_i c_i` [osmol/m^3] (= mOsm/L), through the solution density.

    Examples
    --------
    >>> from osmolab.thermo.solution import Solution
    >>> round(osmolarity(Solution.from_string("NaCl 0.9 %")))
    285
    """
    solution = as_solution(solution, temperature)
    phi, _, notes = evaluate(solution, model)
    emit_warnings(notes)
    return plain(phi * np.asarray(solution.total_molality) * np.asarray(solution.water_per_volume))


def osmotic_pressure_from_water_activity(water_activity, temperature, molar_volume=None):
    r"""Osmotic pressure from the activity of water.

    Parameters
    ----------
    water_activity : numeric
        Activity of water in the solution [-].
    temperature : numeric
        Absolute temperature [K].
    molar_volume : numeric, optional
        Molar volume of water [m^3/mol]; default that of pure water at ``temperature``
        (Kell 1975).

    Returns
    -------
    numeric
        Osmotic pressure [Pa].

    Notes
    -----
    .. math:: \Pi = -\frac{R T}{\bar V_w} \ln a_w

    References
    ----------
    .. [1] Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed.

    Examples
    --------
    >>> round(osmotic_pressure_from_water_activity(0.96683, 298.15) / 1e5, 1)
    46.3
    """
    aw = _finite_array(water_activity, "water activity")
    if np.any(aw <= 0) or np.any(aw > 1):
        raise InputError("water activity must be in (0, 1]")
    t = _finite_array(temperature, "temperature [K]")
    if np.any(t <= 0):
        raise InputError(f"temperature must be > 0 K, got {temperature!r}")
    if molar_volume is None:
        vw = water_molar_volume(t)
    else:
        vw = _finite_array(molar_volume, "molar volume [m^3/mol]")
        if np.any(vw <= 0):
            raise InputError(f"molar volume must be > 0 [m^3/mol], got {molar_volume!r}")
    try:
        return plain(-R * t * np.log(aw) / vw + 0.0)  # + 0.0: a_w = 1 gives 0, not -0
    except ValueError:
        raise InputError(
            "water activity, temperature and molar volume must broadcast to one shape"
        ) from None


def _finite_array(value, label):
    """A float array of finite numbers, or InputError naming ``label``."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a number, got {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise InputError(f"{label} must be finite, got {value!r}")
    return array


def _pressure(phi, solution):
    ln_aw = -phi * M_WATER * np.asarray(solution.total_molality)
    t = solution.temperature
    return -R * t * ln_aw / water_molar_volume(t)


def osmotic_pressure(solution_or_molalities, temperature=None, model=None):
    r"""Osmotic pressure of a solution [Pa].

    Parameters
    ----------
    solution_or_molalities : Solution, str or mapping
        A :class:`~osmolab.thermo.solution.Solution`, a solution string
        (``"NaCl 1 mol/kg"``) or a mapping species -> molality [mol/kg] (arrays allowed).
    temperature : float, optional
        Temperature [K]; default the solution's (298.15 K for a mapping).
    model : {'pitzer', 'seawater', 'ideal'} or None, default None
        None picks the most accurate valid model (:func:`choose_model`).

    Returns
    -------
    float or numpy.ndarray
        Osmotic pressure [Pa].

    Notes
    -----
    .. math:: \Pi = -\frac{RT}{\bar V_w}\ln a_w = \frac{RT}{\bar V_w}\,\phi\, M_w\sum_i m_i

    with :math:`\bar V_w = M_w/\rho_w(T)` of pure water (Kell 1975); in the dilute limit
    this is van 't Hoff's :math:`\Pi = RT\sum_i c_i`.

    References
    ----------
    .. [1] Sharqawy, M. H., Lienhard, J. H. and Zubair, S. M., 2010, Desalination and
       Water Treatment 16, 354-380 (seawater 35 g/kg at 25 degC: 25.9 bar).

    Examples
    --------
    >>> from osmolab.thermo.solution import Solution
    >>> round(osmotic_pressure(Solution.seawater(0.035), model="seawater") / 1e5, 1)
    25.9
    """
    solution = as_solution(solution_or_molalities, temperature)
    phi, _, notes = evaluate(solution, model)
    emit_warnings(notes)
    return plain(_pressure(phi, solution))


def osmotic_properties(solution, temperature=None, model=None) -> OsmoticResult:
    """All osmotic properties of a solution as an :class:`OsmoticResult`.

    Warnings are returned in ``result.warnings`` (not emitted).

    Examples
    --------
    >>> from osmolab.thermo.solution import Solution
    >>> r = osmotic_properties(Solution.seawater(0.035), model="seawater")
    >>> round(r.osmotic_pressure / 1e5, 1), round(r.osmolality * 1e3)
    (25.9, 1047)
    """
    solution = as_solution(solution, temperature)
    phi, used, notes = evaluate(solution, model)
    total = np.asarray(solution.total_molality)
    ln_aw = -phi * M_WATER * total
    return OsmoticResult(
        osmotic_pressure=plain(_pressure(phi, solution)),
        osmotic_coefficient=plain(phi),
        water_activity=plain(np.exp(ln_aw)),
        osmolality=plain(phi * total),
        osmolarity=plain(phi * total * np.asarray(solution.water_per_volume)),
        model=used,
        temperature=solution.temperature,
        warnings=notes,
    )
