"""Server-rendered pages of the workbench: shells that the page scripts fill from the JSON API.

Each page is a Jinja2 template under ``web/templates`` extending ``base.html``; the scripts
and the style sheet under ``web/static`` (plain JavaScript, no framework, no CDN: the
workbench works offline) call the ``/api/`` routes and draw tables, profile plots and the
classroom canvas. Pages carry no physics and no data of their own: the designer, the
projects list, the comparison, the classroom and the cell calculator all ask the server.

Pages
-----
``/``           home: what the workbench does, links to every page
``/designer``   plant designer (``?project=ID`` opens a saved project, ``?example=NAME`` a
                bundled design)
``/projects``   saved projects: search, open, rename, duplicate, trash and restore, versions
``/compare``    two projects or versions side by side (``?a=ID[:V]&b=ID[:V]``)
``/classroom``  particle scenarios streamed over the ``/ws/classroom`` WebSocket
``/cells``      tonicity and the red cell's fate in a medium
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

__all__ = ["router", "mount_static", "PAGES", "TEMPLATE_DIR", "STATIC_DIR"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

#: (path, template, title, one-line purpose) of every page, in the navigation order.
PAGES = (
    ("/", "home.html", "Workbench", "Start here"),
    ("/designer", "designer.html", "Plant designer",
     "Feed, array, pumps, energy recovery and target; the projection re-runs as you type"),
    ("/projects", "projects.html", "Projects",
     "Saved designs with their versions: search, open, rename, duplicate, trash, restore"),
    ("/compare", "compare.html", "Compare",
     "Two projects or two versions side by side, differences highlighted"),
    ("/classroom", "classroom.html", "Classroom",
     "Gases mixing, osmosis, reverse osmosis and sieving, simulated live on the server"),
    ("/cells", "cells.html", "Cells",
     "Tonicity of a medium and what it does to a red blood cell"),
)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))


def _page(path: str, template: str, title: str):
    async def render(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request, template, {"title": title, "pages": PAGES, "current": path})

    render.__name__ = f"page_{template.removesuffix('.html')}"
    render.__doc__ = f"The {title} page."
    return render


for _path, _template, _title, _purpose in PAGES:
    router.add_api_route(_path, _page(_path, _template, _title), methods=["GET"],
                         response_class=HTMLResponse)


def mount_static(app: FastAPI) -> None:
    """Serve the vendored static assets (scripts, style sheet) under ``/static``."""
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
