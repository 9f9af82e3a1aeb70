"""The 2020 West Kazakhstan demo programme (`bko-2020`), built from the seed report.

`loader.load_demo()` writes it; `data/` holds the seed's tables and narratives,
`content.py` the Russian translations and `people.py` / `places.py` the lists the
generated people and schools are drawn from. Nothing here reads outside the repository.
"""

PROGRAM_CODE = "bko-2020"
DEMO_PASSWORD = "birgemiz-demo"
