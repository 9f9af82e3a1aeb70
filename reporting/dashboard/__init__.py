"""The grant officer's nationwide dashboard: one row per programme, charts, the re-check
of report warnings and the consolidated report download.

- `selectors`: the rows and the charts' figures, for every programme in view at once;
- `scores`: the growth scan over every test result, cached per programme and version;
- `warnings`: report warning counts remembered by the re-check;
- `charts`: inline SVG; `views` and `urls` (namespace ``dashboard``).
"""
