"""`python -m layers.extract FILE... [--published YYYY-MM-DD]`: the extractor's command line."""
import sys

from .cli import main

sys.exit(main())
