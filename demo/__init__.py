"""Development data, above every other app: the 2020 West Kazakhstan demo programme
(`bko2020`, `manage.py load_demo`) and the synthetic national programmes (`synthetic`,
`manage.py generate_programs`). They share the seed report's tables (`seed`), the name
pools (`names`) and the purge of a generated programme (`purge`).

Nothing imports this app but its own commands, the tests and the benchmarks.
"""
