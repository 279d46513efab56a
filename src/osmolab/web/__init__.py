"""The osmolab web workbench: a local FastAPI app (``osmolab serve``).

The web layer only translates: HTTP and WebSocket requests in, calls into the library
(:mod:`osmolab.thermo`, :mod:`osmolab.ro`, :mod:`osmolab.particles`, :mod:`osmolab.report`)
and JSON or HTML out. No physics lives here. Modules:

``app``
    :func:`create_app` and :class:`Settings`: the application, token check, request-size
    limit, error handlers (HTTP 422 with one readable line, never a traceback).
``api``
    The JSON API under ``/api/`` mirroring the library.
``db`` and ``projects``
    Saved projects in SQLite (or any SQLAlchemy URL) with versions, trash and comparison;
    the ``/api/projects`` routes.
``pages``, ``stream``
    Server-rendered pages (designer, projects, compare, classroom, cells) and the classroom's
    WebSocket frame stream.
"""
