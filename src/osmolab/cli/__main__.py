"""``python -m osmolab.cli``: the same as the ``osmolab`` command."""

from . import main

raise SystemExit(main())
