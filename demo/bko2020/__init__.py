"""The 2020 West Kazakhstan demo programme (`bko-2020`), built from the seed report.

`loader.load_demo()` writes it, one part per topic (`geography`, `programme`,
`outreach`, `council`, `courses`, `scores`, `survey`, `evidence`); the seed's tables
and narratives are in `demo/data/`, the Russian translations and other fixed texts in
`content.py` and `volunteering.py`, the schools in `places.py` and the names in
`demo.names`. Nothing here reads outside the repository.
"""

PROGRAM_CODE = "bko-2020"
DEMO_PASSWORD = "birgemiz-demo"
