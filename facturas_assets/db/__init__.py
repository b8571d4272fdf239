"""The `textil` database: tables (`tables`), migrations (`migrate`, `migrations/`), engines
(`engine`), batch loads and bookkeeping writes (`load`), reads (`queries`) and retryable errors
(`errors`)."""
