"""Request models of the JSON API (pydantic): what each ``POST /api/...`` body may hold.

The models only check shapes and types (a number or a string with units, a finite number,
a name from a closed list); units and physics are checked by the library the route calls,
whose :class:`osmolab.errors.InputError` becomes HTTP 422. A design travels as the dict a
YAML design file parses to and is validated by the design-file schema itself
(:class:`osmolab.ro.schema.Design`, through :func:`osmolab.ro.design.load_design`).
Quantities follow the unit rule of every entry point (docs/units.md): a bare number is degC,
bar, g/kg or m3/h; a string may carry its unit (``"298.15 K"``, ``"5 atm"``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ErrorMessage",
    "ERROR_RESPONSES",
    "Health",
    "Example",
    "YamlText",
    "DesignDict",
    "Projection",
    "FiniteFloat",
    "Quantity",
    "OsmoticRequest",
    "TonicityRequest",
    "CellRequest",
    "WaterAnalysisRequest",
    "ProjectOverrides",
    "DesignRequest",
    "ProjectRequest",
    "YamlRequest",
    "GasDiffusionRequest",
    "ParticleRequest",
    "PARTICLE_SCENARIOS",
    "ParticleScenario",
]

#: A finite float (JSON's NaN and Infinity extensions are refused).
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
#: A bare number in the field's default unit, or a string with its unit.
Quantity = Annotated[Annotated[float, Field(strict=True, allow_inf_nan=False)]
                     | Annotated[str, Field(min_length=1, max_length=200)],
                     Field(union_mode="left_to_right")]
#: A short free-text field (names, solution strings).
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class ErrorMessage(BaseModel):
    """Every error answer: one line naming the field and the problem."""

    detail: str = Field(examples=["feed.flow: feed flow must be > 0 m3/h, got -5 m3/h"])


#: The error answers every API route may give, for the OpenAPI schema
ERROR_RESPONSES = {
    status: {"model": ErrorMessage, "description": description,
             # JSON also on the routes that answer HTML (the report)
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorMessage"}}}}
    for status, description in (
        (401, "Missing or wrong token (when one is set)."),
        (413, "Request body above the server's limit."),
        (422, "Bad input: one line naming the field."),
    )
}


class Health(BaseModel):
    """``GET /api/health``."""

    status: Literal["ok"] = "ok"
    version: str


class Example(BaseModel):
    """``GET /api/examples/{name}``: a bundled design as a dict and as its file's text."""

    name: str
    design: dict[str, Any]
    yaml: str


class YamlText(BaseModel):
    """``POST /api/design/yaml``: the text of a design file."""

    yaml: str


class DesignDict(BaseModel):
    """``POST /api/design/import``: the design a YAML text holds."""

    design: dict[str, Any]


class Projection(BaseModel):
    """``POST /api/project``: the engine's result, the summary lines, the warnings."""

    result: dict[str, Any] = Field(description="The keys of ``osmolab design --json`` (units "
                                   "in the keys; a value the engine cannot give is null).")
    summary: list[str] = Field(description="The summary lines the CLI prints.")
    warnings: list[str] = Field(description="Design-guideline warnings.")


class _Request(BaseModel):
    """Unknown fields are refused (a typo names the field instead of being ignored)."""

    model_config = ConfigDict(extra="forbid")


_SEAWATER_PX = {
    "name": "Seawater RO, single pass with pressure exchanger",
    "feed": {"flow": "400 m3/h", "temperature": "25 degC", "composition": "seawater 35 g/kg",
             "water_source": "seawater_uf"},
    "array": {"stages": [{"vessels": 40, "elements_per_vessel": 7, "element": "SW30XLE-440i"}]},
    "erd": {"type": "pressure_exchanger", "efficiency": 0.96},
    "target": {"recovery": 0.45},
}


class OsmoticRequest(_Request):
    """A solution and a temperature (``osmolab osmotic``)."""

    composition: Text | dict[Annotated[str, Field(max_length=100)], FiniteFloat] = Field(
        description="A solution string ('seawater 35 g/kg', 'NaCl 0.5 mol/kg, urea 100 mmol/kg') "
        "or a mapping species or salt -> molality [mol/kg water] ({'Na+': 0.5, 'Cl-': 0.5}).",
        examples=["seawater 35 g/kg", {"Na+": 0.5, "Cl-": 0.5}],
    )
    temperature: Quantity = Field(25.0, description="Bare number = degC, or with a unit ('298.15 K').")
    model: Literal["pitzer", "seawater", "ideal"] | None = Field(
        None, description="Osmotic-coefficient model; default: the most accurate valid one.")
    balance: Annotated[str, Field(max_length=20)] | None = Field(
        None, description="Ion added for charge balance ('Cl-', 'Na+' or 'auto').")


class TonicityRequest(OsmoticRequest):
    """A medium against a reference across a membrane (``osmolab tonicity``)."""

    reference: Literal["plasma"] | Annotated[float, Field(gt=0, lt=1e6, allow_inf_nan=False)] = Field(
        "plasma", description="'plasma' (285-295 mOsm/kg) or a reference osmolality [mOsm/kg].")
    membrane: Literal["cell", "ro", "ideal"] = Field(
        "cell", description="cell (red cell), ro (ideal RO membrane) or ideal (all solutes held back).")


class CellRequest(_Request):
    """A living cell put into a medium (``osmolab cell``)."""

    medium: Text = Field("NaCl 0.9 %", description="The medium: 'NaCl 0.45 %', "
                         "'urea 290 mmol/kg', 'NaCl 0.9 %, glycerol 1 mol/kg' or 'water'.",
                         examples=["NaCl 0.45 %", "urea 290 mmol/kg"])
    cell: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        "red-blood-cell", description="Cell type (osmolab.osmosis.cell.CELL_TYPES).")
    temperature: Quantity = Field(25.0, description="Bare number = degC, or with a unit.")
    points: int = Field(120, ge=2, le=1000, description="Number of points of the time course.")


class WaterAnalysisRequest(_Request):
    """A water analysis (``osmolab water``): speciation, saturation indices, LSI, S&DSI."""

    analysis: Text = Field(description="Comma-separated '<ion> <amount> <unit>'.", examples=[
        "Ca+2 82 mg/L, HCO3- 240 mg/L, SO4-2 96 mg/L, Cl- 180 mg/L, Na+ 120 mg/L"])
    ph: Annotated[float, Field(ge=0, le=14, allow_inf_nan=False)] = Field(description="pH (0-14).")
    temperature: Quantity = Field(25.0, description="Bare number = degC, or with a unit.")
    concentrate: Annotated[float, Field(ge=1, le=100, allow_inf_nan=False)] = Field(
        1.0, description="Concentration factor of an RO concentrate shown as well (4 = 75 % recovery).")
    balance: Annotated[str, Field(max_length=20)] | None = Field(
        None, description="Ion adjusted to balance the charge ('Na+', 'Cl-').")


class ProjectOverrides(_Request):
    """Overrides of :func:`osmolab.ro.design.project` (bare: g/kg, degC, bar, m3/h)."""

    feed_salinity: Quantity | None = Field(None, description="Feed salinity (bare = g/kg).")
    temperature: Quantity | None = Field(None, description="Feed temperature (bare = degC).")
    recovery: Quantity | None = Field(None, description="Target recovery: 0.45 or '45 %'.")
    feed_pressure: Quantity | None = Field(None, description="Fixed feed pressure, gauge (bare = bar).")
    feed_flow: Quantity | None = Field(None, description="Feed flow (bare = m3/h).")
    permeate_flow: Quantity | None = Field(None, description="Target permeate flow (bare = m3/h).")
    water_source: Annotated[str, Field(max_length=60)] | None = Field(
        None, description="Design-guideline set of the warnings, e.g. seawater_uf.")

    def given(self) -> dict:
        """The overrides that were given, as :func:`~osmolab.ro.design.project` keywords."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class DesignRequest(_Request):
    """A design, as a YAML design file parses (docs/ro-design-files.md)."""

    design: dict[str, Any] = Field(
        description="The design: feed, array, pumps, erd, target ... exactly as in a YAML design "
        "file (quantities with units, bare numbers in m3/h, degC, bar, g/kg).",
        examples=[_SEAWATER_PX],
    )


class ProjectRequest(DesignRequest):
    """A design to project, with optional overrides."""

    overrides: ProjectOverrides = Field(default_factory=ProjectOverrides)


class YamlRequest(_Request):
    """The text of a YAML design file."""

    yaml: Annotated[str, Field(min_length=1, max_length=200_000)] = Field(
        description="Text of a design file (no anchors or aliases).",
        examples=["feed: {flow: 100 m3/h, temperature: 25, composition: seawater 35 g/kg}\n"
                  "array: {stages: [{vessels: 15, elements_per_vessel: 7, element: SW30XLE-440i}]}\n"
                  "target: {recovery: 0.45}\n"],
    )


class GasDiffusionRequest(_Request):
    """A gas pair at a temperature and pressure (``osmolab diffusion gas``)."""

    gas_a: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="First gas (name or formula: N2, air, H2O).", examples=["N2"])
    gas_b: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="Second gas.", examples=["O2"])
    temperature: Quantity = Field(25.0, description="Bare number = degC, or with a unit.")
    pressure: Quantity = Field("1 atm", description="Absolute pressure (bare = bar).")
    method: Literal["chapman-enskog", "fuller"] = "chapman-enskog"
    lj_set: Literal["preferred", "svehla"] = Field(
        "preferred", description="Lennard-Jones set of Chapman-Enskog.")


#: Particle scenarios of ``POST /api/particles/{scenario}``.
ParticleScenario = Literal["mixing", "osmosis", "reverse-osmosis", "sieving"]
PARTICLE_SCENARIOS = ParticleScenario.__args__

#: Reduced quantities (densities, ratios, times, temperatures): bounded away from 0 and from
#: huge values, so that no run divides by a denormal number
_Reduced = Annotated[float, Field(ge=1e-3, le=1e3, allow_inf_nan=False)]
_Length = Annotated[float, Field(ge=1, le=1e4, allow_inf_nan=False)]


class ParticleRequest(_Request):
    """A short particle run in reduced Lennard-Jones units (``osmolab simulate ...``).

    Fields a scenario does not use are ignored by it; the particle count implied by the
    densities and the box is checked against the server's limit before the run.
    """

    dim: Literal[2, 3] = Field(2, description="2 or 3 dimensions.")
    seed: int = Field(1, ge=0, le=2**31 - 1, description="Random seed (runs are reproducible).")
    duration: Annotated[float, Field(ge=0.01, le=1e5, allow_inf_nan=False)] | None = Field(
        None, description="Simulated time [tau]; default: the scenario's own (mixing: 1.6 "
        "mixing times).")
    temperature: Annotated[float, Field(ge=0.01, le=100, allow_inf_nan=False)] = Field(
        1.0, description="Reduced temperature k T / epsilon.")
    box: list[_Length] | None = Field(
        None, min_length=2, max_length=3,
        description="Box lengths [sigma] (as many as dim); default: the scenario's.")
    number_density: Annotated[float, Field(ge=1e-3, le=2, allow_inf_nan=False)] | None = Field(
        None, description="mixing: total n [1/sigma^dim].")
    mass_ratio: _Reduced = Field(1.0, description="mixing: m_B / m_A.")
    diameter_ratio: _Reduced = Field(1.0, description="mixing: sigma_B / sigma_A.")
    solute_density: Annotated[float, Field(ge=1e-3, le=2, allow_inf_nan=False)] | None = Field(
        None, description="osmosis, reverse-osmosis: n of the solute [1/sigma^dim].")
    solvent_density: Annotated[float, Field(ge=1e-3, le=2, allow_inf_nan=False)] | None = Field(
        None, description="osmosis, reverse-osmosis: n of the solvent [1/sigma^dim].")
    pressure_ratio: Annotated[float, Field(ge=0, le=20, allow_inf_nan=False)] = Field(
        1.5, description="reverse-osmosis: applied pressure / van 't Hoff Pi.")
    pore_diameter: Annotated[float, Field(ge=0.01, le=100, allow_inf_nan=False)] = Field(
        1.2, description="sieving: pore size [sigma of water].")
