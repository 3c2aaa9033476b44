"""Background jobs ("pekerjaan latar"): long work run by the task worker, with progress, a result file and
a failure reason the user can read (docs/architecture.md "Background jobs")."""
