"""TPP: the pagu table, the rule sets, disciplinary records and the month's computed TPP (docs/rules.md
§28)."""
