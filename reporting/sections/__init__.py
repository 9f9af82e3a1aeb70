"""One builder per section of the final report, each a function of the data read once
(`data.load`): `title` (title block and signature footer), `activities` (1 the activity
table, 2 the narratives), `growth` (3), `plan_fact` (4), `info_work` (5), `socio` (6),
`participants` (7 statistics), `indicators` (8 per track), `partners` (9), `proposals`
(10), `recommendations` (11) and `appendices`. `reporting.report.build_report` puts them
together."""
