"""Solution thermodynamics: water, seawater, Pitzer, osmotic pressure, tonicity, water chemistry.

The modules import one way, each only from those before it::

    species -> water -> concentration -> seawater -> solution      (composition, properties)
    debye_huckel -> pitzer                                          (the Pitzer engine)
    solution, pitzer, seawater -> osmotic -> tonicity -> examples, validation
    pitzer, speciation_kernel -> speciation -> scaling -> analysis, referee   (water chemistry)

:class:`Solution` holds a composition; :mod:`~osmolab.thermo.osmotic` turns it into an
osmotic coefficient, water activity and osmotic pressure with one of three models, and
:mod:`~osmolab.thermo.tonicity` compares its effective osmolality with a reference. Every
function that takes ``model=`` defaults to ``None``: the most accurate model valid for the
solution (:func:`choose_model`).

The model-specific functions of the same name stay in their modules
(``pitzer.osmotic_coefficient(molalities)``, ``seawater.osmotic_pressure(salinity, T)``);
the names exported here are the model-independent ones.

Examples
--------
>>> from osmolab.thermo import Solution, osmotic_pressure, tonicity
>>> round(osmotic_pressure(Solution.seawater(0.035), model="seawater") / 1e5, 1)
25.9
>>> tonicity("NaCl 0.9 %").tonicity
'isotonic'
"""

from . import debye_huckel, pitzer, scaling, seawater, speciation, species, water
from .analysis import WaterAnalysis, concentrate, parse_analysis, water_analysis
from .concentration import density_apparent_volume, parse_amount
from .examples import examples_table
from .osmotic import (
    MODELS,
    OsmoticResult,
    choose_model,
    osmolality,
    osmolarity,
    osmotic_coefficient,
    osmotic_pressure,
    osmotic_pressure_from_water_activity,
    osmotic_properties,
    water_activity,
)
from .scaling import (
    MINERALS,
    langelier_index,
    log_ksp,
    saturation_index,
    scaling_indices,
    stiff_davis_index,
)
from .solution import Solution, as_solution
from .speciation import Speciation, speciate
from .species import canonical_name, molar_mass, salt_ions
from .tonicity import (
    REFERENCES,
    TonicityResult,
    effective_osmolality,
    reflection_coefficients,
    tonicity,
)
from .water import density_Kell, ln_water_activity_freezing_point, viscosity_Sharqawy

__all__ = [
    # composition
    "Solution",
    "as_solution",
    "parse_amount",
    "density_apparent_volume",
    "canonical_name",
    "molar_mass",
    "salt_ions",
    # pure water
    "density_Kell",
    "viscosity_Sharqawy",
    "ln_water_activity_freezing_point",
    # osmotic properties (model-independent)
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
    # tonicity
    "REFERENCES",
    "TonicityResult",
    "effective_osmolality",
    "reflection_coefficients",
    "tonicity",
    "examples_table",
    # water chemistry: speciation, scaling, analyses
    "Speciation",
    "speciate",
    "MINERALS",
    "log_ksp",
    "saturation_index",
    "langelier_index",
    "stiff_davis_index",
    "scaling_indices",
    "WaterAnalysis",
    "parse_analysis",
    "water_analysis",
    "concentrate",
    # model modules
    "debye_huckel",
    "pitzer",
    "scaling",
    "seawater",
    "speciation",
    "species",
    "water",
]
