"""Every benchmark in this folder, one after the other, each printing its own table.

make bench
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "timer_idle.py",
    "export_speed.py",
    "startup.py",
    "big_database.py",
    "export_pause.py",
    "transcript_import.py",
)


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        print(f"\n== {script}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / script)])
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
