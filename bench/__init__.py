"""Benchmarks: `make bench` runs every `bench/bench_*.py` module's `run()` in turn.

Each module sets up its own data in a throwaway database, prints what it measured
(time and peak memory) and returns. Figures go into BENCHMARKS.md by hand, with the
command that produced them.
"""
