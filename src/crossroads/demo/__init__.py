"""Seeded synthetic region for demonstrations, tests and benchmarks."""
