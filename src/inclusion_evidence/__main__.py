import sys

from inclusion_evidence.cli import main

sys.exit(main())
