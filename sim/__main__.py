"""``python -m sim``: the same as the ``trove`` command."""

from sim.cli import main

raise SystemExit(main())
