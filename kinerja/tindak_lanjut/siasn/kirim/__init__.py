"""SIASN sends: the services and the background task, the receiver that queues a send when an evaluation
is final, and the sync page (docs/rules.md §21.7–21.9)."""
