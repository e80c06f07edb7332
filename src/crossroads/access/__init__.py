"""Jurisdictions, agencies, users, roles and the access policy (who may do what)."""
