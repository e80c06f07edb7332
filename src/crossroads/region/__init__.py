"""A whole demo region on one machine: `crossroads region up|down` (see orchestrate.py)."""
