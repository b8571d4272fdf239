"""Small local servers speaking the external APIs the platform uses (Drive, Slack) and a fault proxy."""
