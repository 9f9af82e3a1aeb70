"""Pages of the assessments app, by audience: `take` (a student's personal test link),
`links` (a volunteer's test links), `staff` (the coordinator's test pages)."""
