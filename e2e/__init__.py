"""Browser tests (run with scripts/e2e.sh)."""
