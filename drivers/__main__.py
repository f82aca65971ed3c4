"""`python -m drivers`: the diagnostics command."""

import sys

from drivers.cli import main

sys.exit(main())
