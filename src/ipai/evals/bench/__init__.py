"""``ipai bench …`` runners: one module per benchmark (speed and memory; numbers live here, never in
timed tests), each returning one JSON object (docs/evals.md lists them)."""
