"""Run the benchmarks: `python -m bench [name ...]` (all of them without names)."""

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv):
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in argv] or names
    unknown = set(wanted) - set(names)
    if unknown:
        print(f"unknown benchmarks: {', '.join(sorted(unknown))}; have: {', '.join(names)}")
        return 2
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").run()
        print(f"--- {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
