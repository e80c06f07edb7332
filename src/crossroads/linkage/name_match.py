"""Whether two written names may be one person's, for one pair of names at a time, at the levels
of the engine's given- and family-name comparisons (`comparisons`): the same key
(`crossroads.names`: script, diacritics, common variants, gendered and definite forms folded),
or a Jaro-Winkler similarity of the folded spellings at the engine's "similar" level, or the
two names swapped. Used outside the batch engine, where there is no table to score in SQL
(reports from the public: `crossroads.tips.similarity`)."""

from rapidfuzz.distance import JaroWinkler

from crossroads.names import family_name_key, given_name_key, given_spelling_key

# The levels of the given- and family-name comparisons (comparisons.py) and of the swap.
CLOSE = 0.92
SIMILAR = 0.8
SWAPPED = 0.9


def _similarity(left: str, right: str) -> float:
    return JaroWinkler.similarity(left, right) if left and right else 0.0


def given_names_agree(left: str, right: str) -> bool:
    key = given_name_key(left)
    if not key:
        return False
    return key == given_name_key(right) or _similarity(
        given_spelling_key(left), given_spelling_key(right)) >= SIMILAR


def family_names_agree(left: str, right: str) -> bool:
    key = family_name_key(left)
    if not key:
        return False
    return key == family_name_key(right) or _similarity(
        key, family_name_key(right)) >= SIMILAR


def same_person(left: tuple[str, str], right: tuple[str, str]) -> bool:
    """Two (given, family) names that the engine would count as agreeing on both parts, or
    as the same two names written the other way round."""
    (given, family), (other_given, other_family) = left, right
    if given_names_agree(given, other_given) and family_names_agree(family, other_family):
        return True
    return (_similarity(given_spelling_key(given), family_name_key(other_family)) >= SWAPPED
            and _similarity(family_name_key(family), given_spelling_key(other_given)) >= SWAPPED)
