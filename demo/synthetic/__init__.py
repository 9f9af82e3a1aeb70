"""Synthetic programmes for benchmarks and demos: one per region, each the size of the
demo programme (≈1 600 students, 110 volunteers, 2 600 survey responses, and every
student's enrollment, lessons, attendance, pre/post tests), deterministic for a seed.

Rows are written with `bulk_create` in batches, bypassing the services on purpose:
the services validate one row at a time (and write the audit trail), which is right
for people typing data and far too slow for a million generated rows. Everything the
generator writes is marked by `Program.is_synthetic`. `generator.Generator` writes them;
`regions.py` holds the regions, their districts and the grantee NGOs.
"""

BATCH = 5000
