"""Cross-border exchange: privacy-preserving person encodings, the hub, hit/no-hit and formal requests."""
