"""``/api/projects`` and ``/api/compare``: save, list, version, trash and compare designs.

The routes only translate: the store is :class:`osmolab.web.db.Database` (``app.state.database``),
designs are validated by :func:`osmolab.ro.design.load_design` before they are saved and
projected by :func:`osmolab.ro.design.project` when compared. Nothing a user saved is lost:
every save adds a version, restoring an old version adds a new one, ``DELETE`` moves a project
to the trash and only ``DELETE ?purge=true`` on a project already in the trash removes it.
Bad input is HTTP 422 and an unknown project or version HTTP 404, each with a one-line
``{"detail": ...}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ..ro.design import load_design, project
from .db import Database, ProjectNotFound

__all__ = ["router", "KEY_RESULTS", "flatten_design", "compare_designs"]

router = APIRouter(tags=["projects"])

#: Key results shown side by side by ``/api/compare``: key of the projection's ``to_dict()``.
KEY_RESULTS = (
    "feed_pressure_bar",
    "recovery",
    "permeate_flow_m3_h",
    "permeate_tds_mg_L",
    "concentrate_tds_mg_L",
    "sec_kWh_m3",
    "total_power_kW",
)


# -- request bodies --------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewProject(_Body):
    """``POST /api/projects``: a name, optional notes and a design (a design file as JSON)."""

    name: str = Field(description="Unique among the projects outside the trash")
    notes: str | None = Field(default=None, description="Notes of the project")
    design: dict[str, Any] = Field(description="The design, as in a YAML design file")


class NewVersion(_Body):
    """``PUT /api/projects/{id}``: the design to save as the new latest version."""

    design: dict[str, Any]
    notes: str | None = Field(default=None, description="Notes of this version")


class ProjectChange(_Body):
    """``PATCH /api/projects/{id}``: a new name and/or new notes."""

    name: str | None = None
    notes: str | None = None


class NameOnly(_Body):
    """A new name (duplicate, restore from the trash); optional."""

    name: str | None = None


# -- helpers ---------------------------------------------------------------------------------


def _store(request: Request) -> Database:
    return request.app.state.database


def _call(function, *args, **kwargs):
    """Call the store; an unknown project or version becomes HTTP 404."""
    try:
        return function(*args, **kwargs)
    except ProjectNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


def _validated(design: Mapping) -> Mapping:
    try:
        load_design(dict(design))  # raises InputError naming the field (HTTP 422)
    except RecursionError:
        raise InputError("design: nested too deeply") from None
    return design


def flatten_design(design: Mapping, prefix: str = "") -> dict[str, Any]:
    """A design as dotted field paths (``array.stages.0.vessels``) and their values.

    Examples
    --------
    >>> flatten_design({"feed": {"flow": "400 m3/h"}, "array": {"stages": [{"vessels": 40}]}})
    {'feed.flow': '400 m3/h', 'array.stages.0.vessels': 40}
    """
    out: dict[str, Any] = {}
    items = design.items() if isinstance(design, Mapping) else enumerate(design)
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, (Mapping, list)) and value:
            out.update(flatten_design(value, path + "."))
        else:
            out[path] = value
    return out


def _finite(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return float(value) if math.isfinite(value) else None


def key_results(design: Mapping) -> dict:
    """The key results of a design's projection (:data:`KEY_RESULTS`, ``feasible``,
    ``warnings``: the number of warnings) or ``{"error": message}`` when it cannot be
    projected."""
    try:
        result = project(dict(design))
    except InputError as exc:
        return {"feasible": False, "error": str(exc)}
    data = result.to_dict()
    out = {key: _finite(data.get(key)) for key in KEY_RESULTS}
    out["feasible"] = bool(data.get("feasible", True))
    if data.get("reason"):
        out["error"] = str(data["reason"])
    warnings = data.get("warnings") or []
    if warnings and isinstance(warnings[0], list):  # one list per case
        warnings = warnings[0]
    out["warnings"] = len(warnings)
    return out


def compare_designs(design_a: Mapping, design_b: Mapping, results_a: Mapping,
                    results_b: Mapping) -> dict:
    """Inputs (flattened design fields) and key results of two designs, side by side.

    Returns
    -------
    dict
        ``inputs``: ``[{"field", "a", "b", "differs"}]`` over the fields of both designs (a
        field missing on one side is None there); ``results``: ``[{"key", "a", "b",
        "difference", "relative"}]`` with ``difference = b - a`` and ``relative =
        (b - a) / |a|`` (None where undefined).
    """
    flat_a, flat_b = flatten_design(design_a), flatten_design(design_b)
    fields = list(flat_a) + [f for f in flat_b if f not in flat_a]
    inputs = [{"field": f, "a": flat_a.get(f), "b": flat_b.get(f),
               "differs": f not in flat_a or f not in flat_b or flat_a[f] != flat_b[f]}
              for f in fields]
    results = []
    for key in (*KEY_RESULTS, "warnings"):
        a, b = results_a.get(key), results_b.get(key)
        difference = relative = None
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            difference = b - a
            relative = difference / abs(a) if a else None
        results.append({"key": key, "a": a, "b": b, "difference": difference,
                        "relative": relative})
    return {"inputs": inputs, "results": results}


def _parse_reference(text: str, label: str) -> tuple[int, int | None]:
    head, _, tail = str(text).strip().partition(":")
    try:
        project_id = int(head)
        number = int(tail) if tail else None
    except ValueError:
        raise InputError(f"{label}: write a project id, optionally with a version "
                         f"(7 or 7:3), got {text!r}") from None
    return project_id, number


def _side(store: Database, text: str, label: str) -> tuple[dict, Mapping, dict]:
    project_id, number = _parse_reference(text, label)
    version = _call(store.version, project_id, number)
    results = version.get("summary")
    if results is None:
        results = key_results(version["design"])
        store.set_summary(version["id"], version["version"], results)
    head = {"id": version["id"], "name": version["name"], "version": version["version"],
            "feasible": results.get("feasible", False)}
    if results.get("error"):
        head["error"] = results["error"]
    return head, version["design"], results


# -- routes ----------------------------------------------------------------------------------


@router.post("/api/projects", status_code=201)
def create_project(body: NewProject, request: Request) -> dict:
    """Save a new project (its design becomes version 1)."""
    project_row, _ = _store(request).create(body.name, body.notes, _validated(body.design))
    return project_row


@router.get("/api/projects")
def list_projects(request: Request, q: str | None = Query(default=None, max_length=200),
                  trash: bool = False) -> dict:
    """Projects outside the trash (``trash=true``: in it), newest change first; ``q`` searches
    names and notes."""
    return {"projects": _store(request).list(query=q, trash=trash)}


@router.get("/api/projects/{project_id}")
def get_project(project_id: int, request: Request) -> dict:
    """A project with its latest design."""
    return _call(_store(request).get, project_id)


@router.put("/api/projects/{project_id}")
def save_version(project_id: int, body: NewVersion, request: Request) -> dict:
    """Save a new version of the design (history is kept)."""
    store = _store(request)
    _call(store.get, project_id)  # 404 before validating the design
    return _call(store.save_version, project_id, _validated(body.design), body.notes)


@router.patch("/api/projects/{project_id}")
def change_project(project_id: int, body: ProjectChange, request: Request) -> dict:
    """Rename a project and/or change its notes."""
    return _call(_store(request).update, project_id, name=body.name, notes=body.notes)


@router.post("/api/projects/{project_id}/duplicate", status_code=201)
def duplicate_project(project_id: int, request: Request, body: NameOnly | None = None) -> dict:
    """A new project with the latest design of this one (named ``"X (copy)"`` by default)."""
    return _call(_store(request).duplicate, project_id, body.name if body else None)


@router.delete("/api/projects/{project_id}")
def delete_project(project_id: int, request: Request, purge: bool = False) -> dict:
    """Move a project to the trash; ``purge=true`` removes one already in the trash for good."""
    store = _store(request)
    if purge:
        return _call(store.purge, project_id)
    return _call(store.delete, project_id)


@router.post("/api/projects/{project_id}/restore")
def restore_project(project_id: int, request: Request, body: NameOnly | None = None) -> dict:
    """Take a project out of the trash (give ``name`` if another project took its name)."""
    return _call(_store(request).restore_from_trash, project_id, body.name if body else None)


@router.get("/api/projects/{project_id}/versions")
def list_versions(project_id: int, request: Request) -> list[dict]:
    """The history: ``[{"number", "created_at", "notes"}]``, oldest first."""
    return _call(_store(request).versions, project_id)


@router.get("/api/projects/{project_id}/versions/{number}")
def get_version(project_id: int, number: int, request: Request) -> dict:
    """One version: ``{"id", "name", "version", "design", "notes", "created_at", "summary"}``."""
    return _call(_store(request).version, project_id, number)


@router.post("/api/projects/{project_id}/versions/{number}/restore")
def restore_version(project_id: int, number: int, request: Request) -> dict:
    """Make an old version current by saving a copy of it as the new latest version."""
    return _call(_store(request).restore_version, project_id, number)


@router.get("/api/compare")
def compare(request: Request, a: str = Query(description="project id, or id:version"),
            b: str = Query(description="project id, or id:version")) -> dict:
    """Two projects or versions side by side: flattened inputs and key projected results."""
    store = _store(request)
    head_a, design_a, results_a = _side(store, a, "a")
    head_b, design_b, results_b = _side(store, b, "b")
    return {"a": head_a, "b": head_b, **compare_designs(design_a, design_b, results_a, results_b)}
