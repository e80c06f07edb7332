"""Markers derived from the register: whether a victim's trafficking was internal or
cross-border, from their citizenship and the countries of recruitment, transit and
exploitation of an exploitation record."""

from .choices import TraffickingScope


def scope(record) -> str:
    """Internal when every known country is the victim's own and nothing crossed a border;
    cross-border when any two differ or a transit country is recorded; unknown otherwise."""
    countries = [c for c in (record.citizenship, record.country_of_recruitment,
                             record.country_of_exploitation) if c]
    if record.countries_of_transit or len(set(countries)) > 1:
        return TraffickingScope.CROSS_BORDER
    if record.country_of_exploitation and len(countries) >= 2:
        return TraffickingScope.INTERNAL
    return TraffickingScope.UNKNOWN
