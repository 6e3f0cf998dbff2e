"""The frozen app's entry point: the same `main` as `python -m sanctuary_desktop`."""

import sys

from sanctuary_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
