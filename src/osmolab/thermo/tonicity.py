r"""Tonicity: effective osmolality across a membrane, iso-, hypo- or hypertonic.

Tonicity is the osmotic effect of a solution on the volume of a cell (or of any compartment
behind a membrane) once the solutes that cross the membrane have equilibrated: only the
retained solutes count. Each membrane is a set of reflection coefficients
:math:`\sigma_i` (Staverman 1951; Kedem & Katchalsky 1958) in ``data/membranes.csv``:

``cell``
    Human red cell at steady state: Na salts and glucose count, urea, glycerol, ethanol,
    CO2 and boric acid cross (:math:`\sigma = 0`).
``ro``
    An ideal polyamide reverse-osmosis membrane: ions and sugars 1, boric acid 0.9, urea
    0.7, ethanol 0.5, glycerol 0.95, CO2 0.
``ideal``
    A perfect semipermeable membrane (:math:`\sigma = 1`): tonicity = osmolality.

.. math:: \text{Osm}_{eff} = \phi_r \sum_i \sigma_i m_i

compared with a reference band (plasma: 285-295 mOsm/kg). ``model=None`` (the default)
picks the osmotic-coefficient model as in :mod:`osmolab.thermo.osmotic`.

Examples
--------
>>> [tonicity(f"NaCl {p} %").tonicity for p in (0.45, 0.9, 3)]
['hypotonic', 'isotonic', 'hypertonic']
>>> tonicity("urea 300 mmol/kg").tonicity
'hypotonic'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..data import load_csv
from ..errors import InputError, suggest
from .osmotic import emit_warnings, evaluate, model_osmotic_coefficient, plain
from .solution import Solution, as_solution
from .species import canonical_name

__all__ = [
    "MEMBRANE_ALIASES",
    "REFERENCES",
    "REFERENCE_ALIASES",
    "TonicityResult",
    "effective_osmolality",
    "reflection_coefficients",
    "tonicity",
]


#: Reference osmolalities for tonicity: name -> (low, high) [osmol/kg].
#: Plasma: 285-295 mOsm/kg (Guyton & Hall, Textbook of Medical Physiology, 13th ed. 2016,
#: ch. 25 and 28; Rasouli 2016, Clin. Biochem. 49, 936: reference interval 275-295, the
#: tighter 285-295 band is the isotonic band used in fluid therapy).
REFERENCES = {"plasma": (0.285, 0.295)}
#: Other names accepted for the references of :data:`REFERENCES`.
REFERENCE_ALIASES = {
    "blood": "plasma",
    "serum": "plasma",
    "body": "plasma",
    "cell": "plasma",
    "red cell": "plasma",
}
#: Other names accepted for the membranes of ``data/membranes.csv``.
MEMBRANE_ALIASES = {
    "red cell": "cell",
    "red-cell": "cell",
    "rbc": "cell",
    "erythrocyte": "cell",
    "cell membrane": "cell",
    "reverse osmosis": "ro",
    "semipermeable": "ideal",
    "perfect": "ideal",
}


@dataclass
class TonicityResult:
    """Tonicity of a solution against a reference across a membrane.

    Attributes
    ----------
    tonicity : str
        ``"isotonic"``, ``"hypotonic"`` or ``"hypertonic"`` (an array of them for a batch).
    effective_osmolality : float
        phi * sum(sigma_i m_i) [osmol/kg].
    osmolality : float
        phi * sum(m_i) [osmol/kg] (what an osmometer reads).
    reference_osmolality : float
        Centre of the reference band [osmol/kg].
    reference_range : tuple of float
        The isotonic band (low, high) [osmol/kg].
    membrane : str
        Membrane whose reflection coefficients were used.
    model : str
        Osmotic-coefficient model used.
    warnings : list of str
    """

    tonicity: str
    effective_osmolality: float
    osmolality: float
    reference_osmolality: float
    reference_range: tuple[float, float]
    membrane: str
    model: str
    warnings: list[str] = field(default_factory=list)

    @property
    def iso_osmotic(self):
        """True when the total osmolality (all solutes) lies in the reference band."""
        lo, hi = self.reference_range
        osm = np.asarray(self.osmolality)
        return plain((osm >= lo) & (osm <= hi))

    def to_dict(self) -> dict:
        """JSON-ready dictionary (the CLI's ``--json`` keys)."""
        lo, hi = self.reference_range
        return {
            "tonicity": self.tonicity,
            "effective_osmolality_mOsm_per_kg": plain(np.asarray(self.effective_osmolality) * 1e3),
            "reference_mOsm_per_kg": self.reference_osmolality * 1e3,
            "reference_range_mOsm_per_kg": [lo * 1e3, hi * 1e3],
            "osmolality_mOsm_per_kg": plain(np.asarray(self.osmolality) * 1e3),
            "iso_osmotic": self.iso_osmotic,
            "membrane": self.membrane,
            "model": self.model,
            "warnings": list(self.warnings),
        }


@functools.cache
def _membranes() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for row in load_csv("membranes.csv").itertuples(index=False):
        out.setdefault(str(row.membrane), {})[str(row.species)] = float(row.sigma)
    return out


def _membrane_name(membrane) -> str:
    if not isinstance(membrane, str):
        raise InputError(f"membrane must be a name ({', '.join(_membranes())}), got {membrane!r}")
    key = " ".join(membrane.strip().lower().split())
    key = MEMBRANE_ALIASES.get(key, key)
    if key not in _membranes():
        raise InputError(
            f"unknown membrane {membrane!r}; use one of "
            f"{', '.join(_membranes())}.{suggest(membrane, list(_membranes()))}"
        )
    return key


def reflection_coefficients(membrane="cell", species=None) -> dict[str, float]:
    """Reflection coefficients sigma [-] of a membrane (``cell``, ``ro``, ``ideal``).

    Parameters
    ----------
    membrane : str or mapping
        Membrane name, or a mapping species -> sigma (unlisted species get 1).
    species : iterable of str, optional
        Species to report (any accepted spelling; reported under the canonical name);
        default those listed for the membrane.

    Examples
    --------
    >>> sigma = reflection_coefficients("cell", ["Na+", "urea", "glucose"])
    >>> sigma
    {'Na+': 1.0, 'urea': 0.0, 'glucose': 1.0}
    """
    if isinstance(membrane, Mapping):
        table = {"*": 1.0}
        for name, value in membrane.items():
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise InputError(f"reflection coefficient of {name!r} must be a number") from None
            if not 0.0 <= value <= 1.0:
                raise InputError(f"reflection coefficient of {name!r} must be in [0, 1]")
            table[canonical_name(name)] = value
    else:
        table = _membranes()[_membrane_name(membrane)]
    default = table.get("*", 1.0)
    if species is None:
        names = [n for n in table if n != "*"]
    elif isinstance(species, str):
        names = [canonical_name(species)]
    else:
        names = [canonical_name(n) for n in species]
    return {n: table.get(n, default) for n in names}


def effective_osmolality(solution, membrane="cell", model=None):
    r"""Effective osmolality across a membrane [osmol/kg]: :math:`\phi\sum_i\sigma_i m_i`.

    Solutes that cross the membrane (:math:`\sigma < 1`) count by their reflection
    coefficient; with :math:`\sigma = 0` they exert no lasting osmotic effect.

    Parameters
    ----------
    solution : Solution, str or mapping
        The solution.
    membrane : str or mapping, default 'cell'
        ``cell`` (red cell, steady state), ``ro`` (ideal RO membrane), ``ideal``
        (sigma = 1 for all), or a mapping species -> sigma.
    model : {'pitzer', 'seawater', 'ideal'} or None, default None
        Osmotic-coefficient model; None picks the most accurate valid one
        (:func:`osmolab.thermo.osmotic.choose_model`).

    Returns
    -------
    float or numpy.ndarray
        [osmol/kg water].

    Notes
    -----
    Permeant solutes equilibrate across the membrane and leave the retained ones to set
    the volume: the effective osmolality is that of a solution holding
    :math:`\sigma_i m_i` of each solute, :math:`\phi_r\sum_i\sigma_i m_i`, with
    :math:`\phi_r` from the same model (cross-interactions between retained and permeant
    solutes are neglected; for the seawater correlation the solution's own
    :math:`\phi` is used).

    Examples
    --------
    >>> from osmolab.thermo.solution import Solution
    >>> urea = Solution.from_string("urea 300 mmol/kg")
    >>> effective_osmolality(urea, "cell"), round(effective_osmolality(urea, "ideal"), 3)
    (0.0, 0.297)
    """
    solution = as_solution(solution)
    phi, used, notes = evaluate(solution, model)
    emit_warnings(notes)
    return plain(_effective(solution, phi, used, membrane))


def _effective(solution: Solution, phi, model, membrane):
    """phi_r * sum(sigma_i m_i), phi_r the osmotic coefficient of the retained solutes."""
    sigma = reflection_coefficients(membrane, solution.species)
    weights = np.array([sigma[n] for n in solution.species])
    m = solution.molality_array
    retained_m = m * weights.reshape((-1,) + (1,) * (m.ndim - 1))
    retained = np.sum(retained_m, axis=0)
    if np.all(weights == 1.0) or model == "seawater":
        return phi * retained
    keep = weights > 0
    if not np.any(keep):
        return np.zeros(solution.shape)
    names = tuple(n for n, k in zip(solution.species, keep, strict=True) if k)
    part = Solution.from_arrays(names, retained_m[keep], solution.temperature)
    phi_retained, _ = model_osmotic_coefficient(part, model)
    return np.asarray(phi_retained) * retained


def _reference_band(reference, membrane, model):
    if isinstance(reference, str):
        key = " ".join(reference.strip().lower().split())
        key = REFERENCE_ALIASES.get(key, key)
        if key not in REFERENCES:
            raise InputError(
                f"unknown reference {reference!r}; use one of "
                f"{', '.join(REFERENCES)}, an osmolality [osmol/kg] or a Solution."
                f"{suggest(reference, list(REFERENCES))}"
            )
        return REFERENCES[key]
    if isinstance(reference, Solution):
        value = float(np.asarray(effective_osmolality(reference, membrane, model)))
        return value * (1 - 0.017), value * (1 + 0.017)
    if isinstance(reference, (tuple, list)) and len(reference) == 2:
        lo, hi = (float(v) for v in reference)
    else:
        try:
            value = float(reference)
        except (TypeError, ValueError):
            raise InputError(
                f"reference must be 'plasma', an osmolality [osmol/kg] or a "
                f"Solution, got {reference!r}"
            ) from None
        lo, hi = value * (1 - 0.017), value * (1 + 0.017)
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo <= hi):
        raise InputError("reference osmolality must be a positive finite band [osmol/kg]")
    return lo, hi


def tonicity(solution, reference="plasma", membrane="cell", model=None) -> TonicityResult:
    """Iso-, hypo- or hypertonic: effective osmolality against a reference band.

    Parameters
    ----------
    solution : Solution, str or mapping
        The solution.
    reference : str, float, (low, high) or Solution, default 'plasma'
        ``"plasma"`` is 285-295 mOsm/kg; a number [osmol/kg] or a Solution gets a ±1.7 %
        band (±5 mOsm/kg at 290).
    membrane : str or mapping, default 'cell'
        See :func:`effective_osmolality`.
    model : {'pitzer', 'seawater', 'ideal'} or None, default None
        Osmotic-coefficient model; None picks the most accurate valid one
        (:func:`osmolab.thermo.osmotic.choose_model`).

    Returns
    -------
    TonicityResult

    Notes
    -----
    Tonicity is the osmotic effect on the volume of a cell at steady state: only solutes
    the membrane holds back count. 300 mmol/kg urea is iso-osmotic with plasma but
    hypotonic for a red cell, which it enters (and lyses).

    References
    ----------
    .. [1] Rose, B. D. and Post, T. W., 2001, Clinical Physiology of Acid-Base and
       Electrolyte Disorders, 5th ed., McGraw-Hill, ch. 7.
    .. [2] Hall, J. E., 2016, Guyton and Hall Textbook of Medical Physiology, 13th ed.,
       Elsevier, ch. 25.

    Examples
    --------
    >>> [tonicity(f"NaCl {p} %").tonicity for p in (0.45, 0.9, 3)]
    ['hypotonic', 'isotonic', 'hypertonic']
    >>> tonicity("urea 300 mmol/kg").tonicity
    'hypotonic'
    """
    solution = as_solution(solution)
    membrane_label = membrane if isinstance(membrane, str) else "custom"
    if isinstance(membrane, str):
        membrane_label = _membrane_name(membrane)
    lo, hi = _reference_band(reference, membrane, model)
    phi, used, notes = evaluate(solution, model)
    effective = np.asarray(_effective(solution, phi, used, membrane))
    total = phi * np.asarray(solution.total_molality)
    labels = np.where(
        effective < lo, "hypotonic", np.where(effective > hi, "hypertonic", "isotonic")
    )
    label = str(labels) if labels.ndim == 0 else labels
    return TonicityResult(
        tonicity=label,
        effective_osmolality=plain(effective),
        osmolality=plain(total),
        reference_osmolality=0.5 * (lo + hi),
        reference_range=(lo, hi),
        membrane=membrane_label,
        model=used,
        warnings=notes,
    )
