"""Persons, identity documents, cases, involvements and exploitation records."""
