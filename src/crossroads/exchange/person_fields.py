"""The values of a person that a formal request may ask for (`vocabularies.Field`)."""

from crossroads.registry.models import Person

from .choices import Field


def values(person: Person, fields: list[str]) -> dict:
    """Exactly these fields of the person, as JSON values."""
    readers = {
        Field.GIVEN_NAMES: lambda: person.given_names,
        Field.FAMILY_NAME: lambda: person.family_name,
        Field.FATHER_NAME: lambda: person.father_name,
        Field.SEX: lambda: person.sex,
        Field.BIRTH_DATE: lambda: {"date": person.birth_date.isoformat() if person.birth_date else "",
                                   "precision": person.birth_precision},
        Field.PLACE_OF_BIRTH: lambda: person.place_of_birth,
        Field.CITIZENSHIPS: lambda: list(person.citizenships),
        Field.DOCUMENTS: lambda: [{"type": d.doc_type, "number": d.number,
                                   "issuing_country": d.issuing_country}
                                  for d in person.documents.all()],
        Field.ALIASES: lambda: [a.name for a in person.aliases.all()],
        Field.ROLES: lambda: sorted(set(person.involvements.values_list("role", flat=True))),
    }
    return {name: readers[name]() for name in fields}
