"""The JSON API under ``/api/``: the library's entry points as HTTP routes.

Every route parses its request (:mod:`osmolab.web.models`), calls the library and returns
its ``to_dict()`` made JSON-safe (:func:`jsonable`: NaN and infinities become ``null``,
numpy values plain numbers). No physics lives here. Bad input raises
:class:`osmolab.errors.InputError` in the library, which the app turns into HTTP 422 with
one line naming the field (:mod:`osmolab.web.app`); an unknown element or example name in
the path is HTTP 404 with the nearest names.

Routes (request bodies are JSON; see the OpenAPI schema at ``/openapi.json`` and ``/docs``):

| Route | Answer |
|---|---|
| ``GET /api/health`` | ``{"status": "ok", "version": ...}`` |
| ``POST /api/osmotic-pressure`` | osmotic pressure, coefficient, osmolality ... |
| ``POST /api/tonicity`` | iso-, hypo- or hypertonic, effective osmolality |
| ``POST /api/cell`` | a red cell in a medium: volume against time, fate |
| ``POST /api/water-analysis`` | speciation, saturation indices, LSI, S&DSI |
| ``GET /api/elements`` | the RO element library with datasheet figures |
| ``GET /api/elements/{name}`` | one element |
| ``GET /api/examples`` | names of the bundled example plants |
| ``GET /api/examples/{name}`` | one example: its design dict and YAML text |
| ``POST /api/project`` | project a design: result, summary lines, warnings |
| ``POST /api/design/yaml`` | a design dict as YAML text (validated first) |
| ``POST /api/design/import`` | YAML text as a design dict (validated) |
| ``POST /api/report`` | the HTML report of a projection |
| ``POST /api/gas-diffusion`` | binary gas diffusivity from kinetic theory |
| ``POST /api/particles/{scenario}`` | a short particle run: its summary numbers |
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Mapping

import yaml
from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse

from .. import __version__
from ..errors import InputError, suggest
from ..osmosis import cell as cellmod
from ..particles import scenarios
from ..particles.system import Species
from ..report import render_html
from ..report.jsonable import json_safe
from ..ro import design as rodesign
from ..ro import library
from ..thermo.analysis import concentrate_summary
from ..thermo.analysis import water_analysis as analyse_water
from ..thermo.osmotic import osmotic_properties
from ..thermo.solution import Solution
from ..thermo.tonicity import tonicity as tonicity_of
from ..transport import gas as gasmod
from ..units import parse_pressure, parse_temperature
from .models import (
    ERROR_RESPONSES,
    CellRequest,
    DesignDict,
    DesignRequest,
    ErrorMessage,
    Example,
    GasDiffusionRequest,
    Health,
    OsmoticRequest,
    ParticleRequest,
    ParticleScenario,
    Projection,
    ProjectRequest,
    TonicityRequest,
    WaterAnalysisRequest,
    YamlRequest,
    YamlText,
)

__all__ = ["router", "jsonable", "read_design_yaml", "design_yaml", "project_payload",
           "particle_count", "warm_up"]

router = APIRouter(prefix="/api", tags=["library"], responses=ERROR_RESPONSES)

_HTML = {200: {"content": {"text/html": {}}, "description": "The HTML report."}}
_NOT_FOUND = {404: {"model": ErrorMessage,
                    "description": "Unknown name (the message lists the nearest ones)."}}


#: Plain JSON values of a result (NaN -> null): the same rule as the CLI's ``--json``.
jsonable = json_safe


# -- health -----------------------------------------------------------------------------------


@router.get("/health", summary="Liveness check")
def health() -> Health:
    """``{"status": "ok", "version": ...}`` while the server runs."""
    return Health(version=__version__)


# -- solutions ----------------------------------------------------------------------------------


def _solution(request: OsmoticRequest) -> Solution:
    temperature = parse_temperature(request.temperature)
    if isinstance(request.composition, str):
        return Solution.from_string(request.composition, temperature, balance=request.balance)
    return Solution(request.composition, temperature, balance=request.balance)


@router.post("/osmotic-pressure", summary="Osmotic pressure of a solution")
def osmotic_pressure(request: OsmoticRequest) -> dict:
    """Osmotic pressure, osmotic coefficient, water activity, osmolality of a solution.

    The keys of ``osmolab osmotic --json``, plus ``osmolality_osmol_kg``.
    """
    solution = _solution(request)
    result = osmotic_properties(solution, model=request.model)
    data = result.to_dict()
    data.update({
        "osmolality_osmol_kg": result.osmolality,
        "ionic_strength_mol_kg": solution.ionic_strength,
        "tds_g_L": solution.tds,
        "salinity_g_kg": solution.salinity * 1e3,
        "density_kg_m3": solution.density,
        "charge_imbalance": solution.charge_imbalance,
        "molalities_mol_per_kg": solution.molalities,
    })
    return jsonable(data)


@router.post("/tonicity", summary="Tonicity of a medium against plasma")
def tonicity(request: TonicityRequest) -> dict:
    """Iso-, hypo- or hypertonic: the effective osmolality (only the solutes the membrane
    holds back count) against the reference band (``osmolab tonicity --json``)."""
    solution = _solution(request)
    reference = request.reference
    if not isinstance(reference, str):
        reference = reference * 1e-3  # mOsm/kg -> osmol/kg
    result = tonicity_of(solution, reference=reference, membrane=request.membrane,
                         model=request.model)
    data = result.to_dict()
    data["effective_osmolality_osmol_kg"] = result.effective_osmolality
    return jsonable(data)


@router.post("/cell", summary="A living cell in a medium")
def cell(request: CellRequest) -> dict:
    """Put a cell into a medium: its tonicity, the volume against time and its fate
    (``swells``, ``shrinks (crenates)``, ``lyses`` or ``unchanged``), as ``osmolab cell``."""
    temperature = parse_temperature(request.temperature)
    kind = cellmod.cell_type(request.cell)
    osmolalities, solution, notes = cellmod.medium_from_text(request.medium, kind, temperature)
    label, effective = cellmod.medium_tonicity(solution, osmolalities, kind)
    result = cellmod.simulate_cell(osmolalities, kind, temperature=temperature,
                                   n_points=request.points)
    data = {
        "medium": request.medium,
        "tonicity": label,
        "effective_osmolality_osmol_kg": effective,
        "total_osmolality_osmol_kg": float(sum(osmolalities.values())),
        **result.summary(),
        "isotonic_volume_m3": kind.isotonic_volume,
        "time_s": result.times,
        "volume_ratio": result.volume_ratio,
        "notes": notes,
    }
    return jsonable(data)


@router.post("/water-analysis", summary="Speciation and scaling of a water")
def water_analysis(request: WaterAnalysisRequest) -> dict:
    """Speciation, saturation indices, LSI and S&DSI of a water and, with ``concentrate``
    above 1, of its RO concentrate: what ``osmolab water --json`` prints."""
    feed = analyse_water(request.analysis, request.ph, parse_temperature(request.temperature),
                         balance=request.balance)
    data = {"analysis": request.analysis, "feed": feed.to_dict()}
    factor = request.concentrate
    if factor > 1.0:
        data["concentrate"] = concentrate_summary(feed, factor)
    return jsonable(data)


# -- the element library and the examples ----------------------------------------------------


@router.get("/elements", summary="The RO element library")
def elements(type: str | None = None) -> list[dict]:  # noqa: A002 - the query is ?type=
    """Every library element with its datasheet figures (``osmolab elements --json``);
    ``?type=seawater`` or ``?type=brackish`` selects one kind."""
    table = library.element_table()
    if type is not None:
        kinds = sorted(set(table["type"]))
        kind = type.strip().lower()
        if kind not in kinds:
            raise InputError(f"type: unknown element type {type!r}.{suggest(kind, kinds)} "
                             f"Use: {', '.join(kinds)}")
        table = table[table["type"] == kind]
    return jsonable(table.to_dict("records"))


@router.get("/elements/{name}", summary="One RO element", responses=_NOT_FOUND)
def element(name: str = Path(max_length=100)) -> dict:
    """Datasheet figures of one element (any case, a maker's prefix allowed)."""
    try:
        canonical = library.canonical_element_name(name)
    except InputError as error:
        raise HTTPException(404, str(error)) from None
    return jsonable(library.datasheet(canonical))


@router.get("/examples", summary="Bundled example plants")
def examples() -> list[str]:
    """Names of the bundled example designs (``seawater_px`` ...)."""
    return list(rodesign.EXAMPLES)


@router.get("/examples/{name}", summary="One bundled example", responses=_NOT_FOUND)
def example(name: str = Path(max_length=100)) -> Example:
    """``{"name", "design", "yaml"}``: the example's design dict and its YAML text."""
    if name not in rodesign.EXAMPLES:
        raise HTTPException(404, f"unknown example {name!r}.{suggest(name, rodesign.EXAMPLES)} "
                                 f"Examples: {', '.join(rodesign.EXAMPLES)}")
    text = rodesign.bundled_example(name).read_text(encoding="utf-8")
    return Example(name=name, design=jsonable(yaml.safe_load(text)), yaml=text)


# -- designs ----------------------------------------------------------------------------------


#: Deepest nesting of flow collections (``[`` and ``{``) accepted in a YAML design: a design
#: needs 4; the YAML parser's time grows with the square of the depth
MAX_YAML_DEPTH = 32


def _flow_depth(text: str) -> int:
    """Deepest bracket nesting in ``text`` (quotes ignored: an upper bound)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def read_design_yaml(text: str) -> dict:
    """The mapping a YAML design text holds, refused (InputError) unless plain.

    Anchors and aliases are refused: a few lines of aliases can stand for billions of
    nodes once expanded (into JSON, say); so is a nesting deeper than
    :data:`MAX_YAML_DEPTH`, which would keep the parser busy. Nothing is read from a file.

    Examples
    --------
    >>> read_design_yaml("target: {recovery: 0.45}")
    {'target': {'recovery': 0.45}}
    """
    if _flow_depth(text) > MAX_YAML_DEPTH:
        raise InputError(f"yaml: nested deeper than {MAX_YAML_DEPTH} levels; a design needs a few")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputError("yaml: anchors and aliases (&name, *name) are not accepted "
                                 "in a design; write the values out")
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"yaml: not valid YAML{rodesign.yaml_error_place(exc)}") from None
    except RecursionError:
        raise InputError("yaml: nested too deeply") from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InputError(f"yaml: a design is a mapping of fields (feed, array, target ...), "
                         f"got {kind}")
    return data


def _validated(design: Mapping) -> rodesign.Design:
    """The design validated by the design-file schema (InputError: one line, the field)."""
    try:
        return rodesign.load_design(dict(design))
    except RecursionError:
        raise InputError("design: nested too deeply") from None


def design_yaml(design: Mapping) -> str:
    """YAML text of a design dict (keys in the order given)."""
    return yaml.safe_dump(jsonable(design), sort_keys=False, allow_unicode=True,
                          default_flow_style=False)


def _projection(request: ProjectRequest):
    design = _validated(request.design)
    result = rodesign.project(design, **request.overrides.given())
    data = result.to_dict()
    if data.get("feasible") is False:
        name = data.get("system") or design.name or "design"
        raise InputError(f"{name}: {data.get('reason') or 'infeasible design'}")
    return design, result, data


def project_payload(request: ProjectRequest) -> dict:
    """What ``POST /api/project`` answers for ``request`` (the projects routes reuse it)."""
    _design, _result, data = _projection(request)
    return {"result": jsonable(data), "summary": rodesign.summary_lines(data),
            "warnings": list(data.get("warnings") or [])}


@router.post("/project", summary="Project an RO plant", response_class=JSONResponse,
             responses={200: {"model": Projection, "description": "The projection."}})
def project(request: ProjectRequest) -> JSONResponse:
    """Solve the plant's operating point: ``{"result": ..., "summary": [...], "warnings": [...]}``.

    ``result`` holds the keys of ``osmolab design --json`` (units in the keys; NaN as
    null); ``summary`` the lines the CLI prints; ``warnings`` the design-guideline
    warnings. A target the plant cannot reach is HTTP 422 with the engine's reason.
    """
    # already plain JSON values: straight out, without FastAPI's second encoding pass (the
    # designer re-projects as the user types)
    return JSONResponse(project_payload(request))


@router.post("/design/yaml", summary="A design as YAML text")
def design_to_yaml(request: DesignRequest) -> YamlText:
    """``{"yaml": text}`` of a design, validated first (a bad design is HTTP 422)."""
    _validated(request.design)
    return YamlText(yaml=design_yaml(request.design))


@router.post("/design/import", summary="A YAML design file as a design")
def design_import(request: YamlRequest) -> DesignDict:
    """``{"design": dict}`` from the text of a YAML design file, validated."""
    data = read_design_yaml(request.yaml)
    _validated(data)
    return DesignDict(design=jsonable(data))


@router.post("/report", summary="HTML report of a projection", response_class=HTMLResponse,
             responses=_HTML)
def report(request: ProjectRequest) -> HTMLResponse:
    """The self-contained HTML report (inline CSS and SVG) of ``osmolab design --report``."""
    design, result, _data = _projection(request)
    water_source = request.overrides.water_source
    return HTMLResponse(render_html(result, design=design, water_source=water_source))


# -- transport and particles -------------------------------------------------------------------


@router.post("/gas-diffusion", summary="Binary diffusivity of two gases")
def gas_diffusion(request: GasDiffusionRequest) -> dict:
    """D of a gas pair at low density (``osmolab diffusion gas --json``), with the
    kinetic-theory method and the source of the molecular parameters."""
    temperature = parse_temperature(request.temperature)
    pressure = parse_pressure(request.pressure)
    a, b = gasmod.gas(request.gas_a), gasmod.gas(request.gas_b)
    d = float(gasmod.gas_diffusivity(a.name, b.name, temperature, pressure,
                                     method=request.method, lj_set=request.lj_set))
    data = {"gas_a": a.name, "gas_b": b.name, "D_m2_s": d, "D_cm2_s": d * 1e4,
            "method": request.method, "temperature_K": temperature, "pressure_Pa": pressure}
    if request.method == "chapman-enskog":
        data["source"] = ("Chapman-Enskog, Neufeld collision integral; Lennard-Jones "
                          + ("Svehla (1962)" if request.lj_set == "svehla"
                             else f"{a.lj_source} / {b.lj_source}"))
    else:
        data["source"] = f"Fuller, Schettler and Giddings (1966); volumes {a.fuller_source}"
    return jsonable(data)


#: Default boxes of the scenarios [sigma] by dimension (as the library's)
_BOXES = {
    "mixing": {2: (120.0, 120.0), 3: (60.0, 48.0, 48.0)},
    "osmosis": {2: (20.0, 200.0), 3: (10.0, 30.0, 30.0)},
    "reverse-osmosis": {2: (1.0, 40.0), 3: (1.0, 12.0, 12.0)},
}
_SIEVING_COUNTS = {"water": 400, "urea": 20, "ion": 20, "glucose": 20, "bacterium": 2}
#: Initial width of each side of the reverse-osmosis cell (solvent reservoir, solution) [sigma]
_RO_SIDE = 20.0


def _box(scenario: str, request: ParticleRequest) -> tuple[float, ...]:
    if request.box is None:
        return _BOXES[scenario][request.dim]
    if len(request.box) != request.dim:
        raise InputError(f"box: give {request.dim} lengths for dim={request.dim}, "
                         f"got {len(request.box)}")
    return tuple(request.box)


def particle_count(scenario: str, request: ParticleRequest) -> int:
    """Particles a run of ``scenario`` would hold (densities times volumes, an upper bound)."""
    if scenario == "sieving":
        return sum(_SIEVING_COUNTS.values())
    box = _box(scenario, request)
    if scenario == "mixing":
        return int(round((request.number_density or 0.05) * math.prod(box)))
    solvent = request.solvent_density or (0.2 if scenario == "osmosis" else 0.3)
    solute = request.solute_density or (0.015 if scenario == "osmosis" else 0.08)
    if scenario == "osmosis":
        return int(round((solvent + solute) * math.prod(box)))
    return int(round((solvent + solute) * 2 * _RO_SIDE * math.prod(box[1:])))


def _scenario(scenario: str, request: ParticleRequest):
    common = {"dim": request.dim, "seed": request.seed}
    if request.duration is not None:
        common["duration"] = request.duration
    box = None if request.box is None else _box(scenario, request)
    if scenario == "mixing":
        species = (Species("A"), Species("B", mass=request.mass_ratio,
                                          diameter=request.diameter_ratio))
        return scenarios.Mixing(species=species, kT=request.temperature, box=box,
                                number_density=request.number_density or 0.05, **common)
    if scenario == "osmosis":
        return scenarios.Osmosis(solute_density=request.solute_density or 0.015,
                                 solvent_density=request.solvent_density or 0.2,
                                 temperature=request.temperature, box=box, **common)
    if scenario == "reverse-osmosis":
        return scenarios.ReverseOsmosis(pressure_ratio=request.pressure_ratio,
                                        solute_density=request.solute_density or 0.08,
                                        solvent_density=request.solvent_density or 0.3,
                                        temperature=request.temperature, box=box,
                                        compartment=_RO_SIDE, **common)
    return scenarios.Sieving(pore_diameter=request.pore_diameter, temperature=request.temperature,
                             box=box, **common)


#: One particle run at a time (each uses every core through Numba)
_PARTICLE_LOCK = threading.Lock()


@router.post("/particles/{scenario}", summary="A short particle simulation")
def particles(request: ParticleRequest, http: Request,
              scenario: ParticleScenario = Path(description="The scenario to run.")) -> dict:
    """Run a particle scenario (reduced Lennard-Jones units) and return its summary
    numbers (``osmolab simulate ... --json``). Runs above the server's particle limit or
    duration limit are HTTP 422."""
    settings = http.app.state.settings
    count = particle_count(scenario, request)
    if count > settings.max_particles:
        raise InputError(f"box: {count} particles is above this server's limit of "
                         f"{settings.max_particles}; lower the densities or the box")
    run = _scenario(scenario, request)
    duration = run.duration
    if duration is None:  # mixing: the library's default
        duration = run.effective_duration()
    if duration > settings.max_particle_duration:
        raise InputError(f"duration: {duration:.4g} tau is above this server's limit of "
                         f"{settings.max_particle_duration:g} tau; give a shorter duration")
    with _PARTICLE_LOCK:
        result = run.run()
    data = dict(result.summary())
    data.setdefault("scenario", scenario)
    return jsonable(data)


# -- warm-up ------------------------------------------------------------------------------------


@functools.cache
def warm_up() -> None:
    """Compile the RO engine once (Numba) so that the first projection is fast."""
    rodesign.project(rodesign.bundled_example("seawater_px"))
