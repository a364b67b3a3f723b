"""`python -m followup_daemon`."""

import sys

from .cli import main

sys.exit(main())
