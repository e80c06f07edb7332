"""Tests for crossroads.registry.national_ids. All numbers are synthetic.

Expected check digits/letters are worked out by hand in the comments, not by
the code under test.
"""

import contextlib
import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossroads.registry.national_ids import (
    AlbanianIdInfo,
    JmbgInfo,
    NationalIdError,
    check_albanian_personal_number,
    check_jmbg,
    generate_albanian_personal_number,
    generate_jmbg,
    parse_albanian_personal_number,
    parse_jmbg,
    validate_document_number,
)

D = datetime.date

# --- JMBG, hand-computed -----------------------------------------------------
# Digits a..l, S = 7(a+g) + 6(b+h) + 5(c+i) + 4(d+j) + 3(e+k) + 2(f+l), K = 11 - S mod 11.
#
# 17.05.1990, region 71, serial 124 (male): 1 7 0 5 9 9 0 7 1 1 2 4
#   7(1+0) + 6(7+7) + 5(0+1) + 4(5+1) + 3(9+2) + 2(9+4) = 7+84+5+24+33+26 = 179
#   179 mod 11 = 3 -> K = 8
JMBG_MALE = "1705990711248"
# 03.11.2004, region 17, serial 512 (female): 0 3 1 1 0 0 4 1 7 5 1 2
#   7(0+4) + 6(3+1) + 5(1+7) + 4(1+5) + 3(0+1) + 2(0+2) = 28+24+40+24+3+4 = 123
#   123 mod 11 = 2 -> K = 9
JMBG_FEMALE = "0311004175129"
# 29.02.1996 (leap day), region 45, serial 505 (female): 2 9 0 2 9 9 6 4 5 5 0 5
#   7(2+6) + 6(9+4) + 5(0+5) + 4(2+5) + 3(9+0) + 2(9+5) = 56+78+25+28+27+28 = 242
#   242 mod 11 = 0 -> 11 - 0 = 11 -> K = 0
JMBG_REMAINDER_0 = "2902996455050"
# 17.05.1990, region 71, serial 123: as JMBG_MALE but 2(9+3) = 24 -> S = 177
#   177 mod 11 = 1 -> 11 - 1 = 10 -> written 0 (the ambiguous case)
JMBG_REMAINDER_1 = "1705990711230"
# 01.01.2010, region 21, serial 003: 0 1 0 1 0 1 0 2 1 0 0 3
#   7(0+0) + 6(1+2) + 5(0+1) + 4(1+0) + 3(0+0) + 2(1+3) = 0+18+5+4+0+8 = 35
#   35 mod 11 = 2 -> K = 9
JMBG_2010 = "0101010210039"
# 17.05.1990, region 63 (never assigned), serial 124: 1 7 0 5 9 9 0 6 3 1 2 4
#   7(1+0) + 6(7+6) + 5(0+3) + 4(5+1) + 3(9+2) + 2(9+4) = 7+78+15+24+33+26 = 183
#   183 mod 11 = 7 -> K = 4 (valid check digit, so only the region is wrong)
JMBG_REGION_63 = "1705990631244"


def _error_code(func, *args, **kwargs) -> str:
    with pytest.raises(NationalIdError) as excinfo:
        func(*args, **kwargs)
    assert str(excinfo.value)  # always a human message
    return excinfo.value.code


def test_parse_jmbg_male():
    assert parse_jmbg(JMBG_MALE) == JmbgInfo(
        birth_date=D(1990, 5, 17), sex="M", region_code=71, region="Serbia – central", serial=124
    )


def test_parse_jmbg_female_21st_century():
    info = parse_jmbg(JMBG_FEMALE)
    assert (info.birth_date, info.sex, info.region, info.serial) == (
        D(2004, 11, 3),
        "F",
        "Bosnia and Herzegovina",
        512,
    )
    assert parse_jmbg(JMBG_2010).birth_date == D(2010, 1, 1)
    assert parse_jmbg(JMBG_2010).region == "Montenegro"


def test_parse_jmbg_remainder_cases_are_written_as_zero():
    assert parse_jmbg(JMBG_REMAINDER_0).birth_date == D(1996, 2, 29)
    assert parse_jmbg(JMBG_REMAINDER_0).region == "North Macedonia"
    # The ambiguous K = 10 case is accepted as 0 (see _jmbg_check_digit).
    assert parse_jmbg(JMBG_REMAINDER_1).serial == 123
    assert _error_code(parse_jmbg, JMBG_REMAINDER_1[:-1] + "1") == "checksum"


def test_parse_jmbg_strips_spaces():
    assert parse_jmbg(" 170599 0711 248 ").serial == 124


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1705990711249", "checksum"),  # K should be 8
        ("1705990711247", "checksum"),
        ("7105990711248", "date"),  # digits transposed: day 71
        ("3102990711248", "date"),  # 31 February 1990
        ("2902997455050", "date"),  # 29 February 1997, not a leap year
        ("0113990711248", "date"),  # month 13
        ("0101500710000", "date"),  # year 2500 (YYY 500)
        (JMBG_REGION_63, "region"),
        ("170599071124", "length"),
        ("17059907112480", "length"),
        ("", "length"),
        ("17059907112A8", "digits"),
        ("1705-990-711248", "digits"),
    ],
)
def test_parse_jmbg_rejects(number, code):
    assert _error_code(parse_jmbg, number) == code


def test_error_messages_are_distinct_per_code():
    messages = {
        _error_code_and_message(parse_jmbg, n)
        for n in ("1705990711249", "3102990711248", JMBG_REGION_63, "123", "12x")
    }
    assert len({code for code, _ in messages}) == 5
    assert len({message for _, message in messages}) == 5


def _error_code_and_message(func, *args):
    with pytest.raises(NationalIdError) as excinfo:
        func(*args)
    err = excinfo.value
    assert err.message == err.template % err.params if err.params else err.template
    return err.code, err.template


def test_check_jmbg_matching_record():
    assert check_jmbg(JMBG_MALE, birth_date=D(1990, 5, 17), sex="M").serial == 124
    assert check_jmbg(JMBG_MALE).sex == "M"


@pytest.mark.parametrize(
    ("recorded", "precision", "ok"),
    [
        (D(1990, 5, 18), None, False),
        (D(1990, 5, 18), "exact", False),
        (D(1990, 5, 1), "month", True),
        (D(1990, 6, 17), "month", False),
        (D(1990, 1, 1), "year", True),
        (D(1991, 5, 17), "year", False),
        (D(1985, 1, 1), "age", True),
    ],
)
def test_check_jmbg_birth_precision(recorded, precision, ok):
    if ok:
        check_jmbg(JMBG_MALE, birth_date=recorded, birth_precision=precision)
    else:
        code = _error_code(check_jmbg, JMBG_MALE, birth_date=recorded, birth_precision=precision)
        assert code == "birth_date_mismatch"


def test_check_jmbg_sex_mismatch():
    assert _error_code(check_jmbg, JMBG_MALE, sex="F") == "sex_mismatch"
    assert _error_code(check_jmbg, JMBG_FEMALE, sex="m") == "sex_mismatch"
    # Unknown/other sex is not contradicted by the number.
    assert check_jmbg(JMBG_FEMALE, sex="U").sex == "F"


def test_check_jmbg_rejects_unknown_precision():
    with pytest.raises(ValueError, match="birth_precision"):
        check_jmbg(JMBG_MALE, birth_date=D(1990, 5, 17), birth_precision="decade")


def _independent_jmbg_remainder(number: str) -> int:
    d = [int(c) for c in number]
    s = sum(w * (d[i] + d[i + 6]) for i, w in enumerate((7, 6, 5, 4, 3, 2)))
    return s % 11


@given(
    birth_date=st.dates(min_value=D(1800, 1, 1), max_value=datetime.date.today()),
    sex=st.sampled_from(["M", "F"]),
    region_code=st.sampled_from([1, 7, 10, 17, 21, 33, 45, 50, 71, 80, 91, 99]),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_generate_jmbg_round_trip(birth_date, sex, region_code, seed):
    number = generate_jmbg(random.Random(seed), birth_date, sex, region_code)
    info = parse_jmbg(number)
    assert (info.birth_date, info.sex, info.region_code) == (birth_date, sex, region_code)
    # Never the ambiguous K = 10 case.
    assert _independent_jmbg_remainder(number) != 1


def test_generate_jmbg_is_deterministic_per_seed():
    a = generate_jmbg(random.Random(7), D(1990, 5, 17), "F", 71)
    b = generate_jmbg(random.Random(7), D(1990, 5, 17), "F", 71)
    assert a == b


def test_generate_jmbg_rejects_bad_input():
    rng = random.Random(0)
    with pytest.raises(ValueError):
        generate_jmbg(rng, D(1990, 1, 1), "M", 65)
    with pytest.raises(ValueError):
        generate_jmbg(rng, D(1990, 1, 1), "X", 71)
    with pytest.raises(ValueError):
        generate_jmbg(rng, datetime.date.today() + datetime.timedelta(days=1), "M", 71)


@given(st.text(max_size=20))
def test_parse_jmbg_only_raises_national_id_error(text):
    with contextlib.suppress(NationalIdError):
        parse_jmbg(text)


# --- Albanian personal number, hand-computed ---------------------------------
# Weights 1,1,2,3,4,5,6,7,8 over the first 9 characters (letters A=1, B=2, ...),
# check letter = "WABCDEFGHIJKLMNOPQRSTUV"[sum mod 23].
#
# Male, 23.10.1985: I (1980s) 5, month 10, day 23, serial 123
#   9 + 5 + 1*2 + 0*3 + 2*4 + 3*5 + 1*6 + 2*7 + 3*8 = 9+5+2+0+8+15+6+14+24 = 83
#   83 mod 23 = 14 -> N
AL_MALE = "I51023123N"
# Female, 07.03.2001: K (2000s) 1, month 03+50 = 53, day 07, serial 045
#   11 + 1 + 5*2 + 3*3 + 0*4 + 7*5 + 0*6 + 4*7 + 5*8 = 11+1+10+9+0+35+0+28+40 = 134
#   134 mod 23 = 19 -> S
AL_FEMALE = "K15307045S"
# Female, 31.12.1998: J (1990s) 8, month 12+50 = 62, day 31, serial 900
#   10 + 8 + 6*2 + 2*3 + 3*4 + 1*5 + 9*6 + 0*7 + 0*8 = 10+8+12+6+12+5+54 = 107
#   107 mod 23 = 15 -> O
AL_FEMALE_2 = "J86231900O"
# Male, 23.10.1985, serial 010: 9+5+2+0+8+15 + 0*6 + 1*7 + 0*8 = 46
#   46 mod 23 = 0 -> W (published numbers also use A for remainder 0)
AL_REMAINDER_0 = "I51023010"


def test_parse_albanian_male():
    assert parse_albanian_personal_number(AL_MALE) == AlbanianIdInfo(D(1985, 10, 23), "M")


def test_parse_albanian_female():
    assert parse_albanian_personal_number(AL_FEMALE) == AlbanianIdInfo(D(2001, 3, 7), "F")
    assert parse_albanian_personal_number(AL_FEMALE_2) == AlbanianIdInfo(D(1998, 12, 31), "F")


def test_parse_albanian_normalises_case_and_spaces():
    assert parse_albanian_personal_number(" i5102 3123n ").sex == "M"


def test_parse_albanian_remainder_zero_accepts_w_and_a():
    assert parse_albanian_personal_number(AL_REMAINDER_0 + "W").sex == "M"
    assert parse_albanian_personal_number(AL_REMAINDER_0 + "A").sex == "M"
    assert _error_code(parse_albanian_personal_number, AL_REMAINDER_0 + "B") == "checksum"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("I51023123M", "checksum"),  # should be N
        ("K15307045T", "checksum"),  # should be S
        ("J00230123C", "date"),  # 30 February 1990
        ("J01301001A", "date"),  # month code 13
        ("J05001001A", "date"),  # month code 50 -> month 0
        ("J06301001A", "date"),  # month code 63 -> month 13
        ("M91231001A", "date"),  # 2029, in the future
        ("I5102312N", "length"),
        ("I51023123NN", "length"),
        ("", "length"),
        ("151023123N", "format"),  # first character must be a letter
        ("Z51023123N", "format"),  # letter beyond T
        ("I5102312AN", "format"),  # serial must be digits
        ("I510231234", "format"),  # check character must be a letter
    ],
)
def test_parse_albanian_rejects(number, code):
    assert _error_code(parse_albanian_personal_number, number) == code


def test_parse_albanian_without_check_letter_verification():
    assert parse_albanian_personal_number("I51023123M", verify_check_letter=False).sex == "M"


def test_check_albanian_against_record():
    check_albanian_personal_number(AL_FEMALE, birth_date=D(2001, 3, 7), sex="F")
    code = _error_code(check_albanian_personal_number, AL_FEMALE, birth_date=D(2001, 3, 8))
    assert code == "birth_date_mismatch"
    check_albanian_personal_number(AL_FEMALE, birth_date=D(2001, 3, 1), birth_precision="month")
    check_albanian_personal_number(AL_FEMALE, birth_date=D(2001, 1, 1), birth_precision="year")
    check_albanian_personal_number(AL_FEMALE, birth_date=D(1999, 1, 1), birth_precision="age")
    assert _error_code(check_albanian_personal_number, AL_FEMALE, sex="M") == "sex_mismatch"


@given(
    birth_date=st.dates(min_value=D(1900, 1, 1), max_value=datetime.date.today()),
    sex=st.sampled_from(["M", "F"]),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_generate_albanian_round_trip(birth_date, sex, seed):
    number = generate_albanian_personal_number(random.Random(seed), birth_date, sex)
    assert len(number) == 10
    assert parse_albanian_personal_number(number) == AlbanianIdInfo(birth_date, sex)
    # Remainder 0 (W, or A in some published numbers) is never generated.
    assert number[-1] != "W"


@given(st.text(max_size=20))
def test_parse_albanian_only_raises_national_id_error(text):
    with contextlib.suppress(NationalIdError):
        parse_albanian_personal_number(text)


# --- dispatcher ----------------------------------------------------------------


def test_validate_document_number_jmbg():
    assert validate_document_number("jmbg", " 1705 990 711248") == JMBG_MALE
    code = _error_code(validate_document_number, "jmbg", JMBG_MALE, sex="F")
    assert code == "sex_mismatch"
    code = _error_code(
        validate_document_number,
        "jmbg",
        JMBG_MALE,
        birth_date=D(1990, 6, 1),
        birth_precision="month",
    )
    assert code == "birth_date_mismatch"


def test_validate_document_number_albanian():
    assert validate_document_number("al_personal_number", "k1530 7045s") == AL_FEMALE
    assert _error_code(validate_document_number, "al_personal_number", "K15307045T") == "checksum"


@pytest.mark.parametrize("doc_type", ["passport", "id_card", "other", "anything"])
def test_validate_document_number_generic(doc_type):
    assert validate_document_number(doc_type, "  ab 12 34-5/6 ") == "AB1234-5/6"
    assert validate_document_number(doc_type, "x12") == "X12"
    assert _error_code(validate_document_number, doc_type, "A1") == "length"
    assert _error_code(validate_document_number, doc_type, "A" * 31) == "length"
    assert _error_code(validate_document_number, doc_type, "AB#123") == "format"
    assert _error_code(validate_document_number, doc_type, "ČĆ1234") == "format"


def test_generic_document_number_ignores_birth_data():
    assert validate_document_number("passport", "P1234567", birth_date=D(1990, 1, 1), sex="F")
