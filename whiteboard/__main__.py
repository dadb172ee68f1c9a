"""``python -m whiteboard`` runs the command line (:mod:`whiteboard.cli`)."""

import sys

from .cli import main

sys.exit(main())
