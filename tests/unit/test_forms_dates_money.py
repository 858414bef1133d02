"""Dates in three boxes, times of day and amounts of money: typed as people type them, refused in plain words."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeplace.web.forms.dates import DateField, TimeField
from safeplace.web.forms.fields import Invalid
from safeplace.web.forms.form import posted
from safeplace.web.forms.money import MoneyField

BORN = DateField("date_of_birth", "Date of birth", "the learner's date of birth")
STARTS = DateField("start_date", "Start date", "the start date")
ASSESSED = DateField("assessed_on", "Assessed on", "the date you assessed the risks", required=False)
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def boxes(field: DateField, day: str, month: str, year: str) -> dict[str, list[str]]:
    return posted({f"{field.name}-day": day, f"{field.name}-month": month, f"{field.name}-year": year})


def refused(field: DateField, day: str, month: str, year: str) -> Invalid:
    with pytest.raises(Invalid) as refusal:
        field.read(boxes(field, day, month, year))
    return refusal.value


def test_a_date_is_read_from_its_three_boxes():
    assert STARTS.read(boxes(STARTS, "6", "9", "2027")) == date(2027, 9, 6)
    assert STARTS.read(boxes(STARTS, " 06 ", "09", "2027")) == date(2027, 9, 6)


@pytest.mark.parametrize(
    ("month", "number"),
    [("March", 3), ("mar", 3), ("MAR.", 3), ("Sept", 9), ("sep", 9), ("june", 6), ("Dec", 12)],
)
def test_a_month_may_be_typed_as_its_name_or_a_short_form(month: str, number: int):
    assert STARTS.read(boxes(STARTS, "1", month, "2027")) == date(2027, number, 1)


@given(
    st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.booleans(),
)
def test_any_real_date_typed_with_a_month_name_reads_as_that_date(day: date, case: object, short: bool):
    name = MONTHS[day.month - 1][:3] if short else MONTHS[day.month - 1]
    typed = case(name)  # type: ignore[operator]

    assert STARTS.read(boxes(STARTS, str(day.day), typed, str(day.year))) == day


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_any_date_shown_again_reads_back_as_itself(day: date):
    assert STARTS.read(posted(STARTS.show(day))) == day


def test_an_empty_required_date_asks_for_it_and_links_to_the_day():
    refusal = refused(BORN, "", "", "")

    assert refusal.message == "Enter the learner's date of birth"
    assert (refusal.parts, BORN.href(refusal.parts)) == (("day", "month", "year"), "#date_of_birth-day")


def test_an_empty_optional_date_is_none():
    assert ASSESSED.read(boxes(ASSESSED, "", " ", "")) is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "parts"),
    [
        ("12", "", "2009", "The learner's date of birth must include a month", ("month",)),
        ("", "5", "2009", "The learner's date of birth must include a day", ("day",)),
        ("12", "5", "", "The learner's date of birth must include a year", ("year",)),
        ("", "", "2009", "The learner's date of birth must include a day and month", ("day", "month")),
        ("12", "", "", "The learner's date of birth must include a month and year", ("month", "year")),
        ("", "May", "", "The learner's date of birth must include a day and year", ("day", "year")),
    ],
)
def test_a_partial_date_says_which_part_is_missing(day: str, month: str, year: str, message: str, parts: tuple):
    refusal = refused(BORN, day, month, year)

    assert (refusal.message, refusal.parts) == (message, parts)
    assert BORN.href(refusal.parts) == f"#date_of_birth-{parts[0]}"


@pytest.mark.parametrize(
    ("day", "month", "year", "parts"),
    [
        ("31", "2", "2026", ("day", "month", "year")),
        ("29", "2", "2027", ("day", "month", "year")),
        ("32", "1", "2026", ("day",)),
        ("0", "1", "2026", ("day",)),
        ("1", "13", "2026", ("month",)),
        ("1", "Marchish", "2026", ("month",)),
        ("first", "1", "2026", ("day",)),
        ("1", "1", "twenty", ("year",)),
        ("1", "1", "0000", ("day", "month", "year")),
        ("x", "y", "2026", ("day", "month")),
    ],
)
def test_an_impossible_date_must_be_a_real_date(day: str, month: str, year: str, parts: tuple):
    refusal = refused(STARTS, day, month, year)

    assert (refusal.message, refusal.parts) == ("The start date must be a real date", parts)


@pytest.mark.parametrize("year", ["27", "202", "20270"])
def test_a_year_not_of_four_numbers_says_so(year: str):
    refusal = refused(STARTS, "6", "9", year)

    assert (refusal.message, refusal.parts) == ("The start date must include the year as 4 numbers", ("year",))


def test_a_leap_day_in_a_leap_year_is_real():
    assert STARTS.read(boxes(STARTS, "29", "Feb", "2028")) == date(2028, 2, 29)


def test_what_was_typed_in_the_boxes_is_shown_again_as_typed():
    assert STARTS.sent(boxes(STARTS, "31", "Feb", "2026")) == {
        "start_date-day": "31",
        "start_date-month": "Feb",
        "start_date-year": "2026",
    }


def test_a_date_the_model_refuses_is_still_worded_as_a_date():
    assert STARTS.message_for("date_from_datetime_parsing", "Input should be a valid date") == (
        "The start date must be a real date"
    )
    assert STARTS.message_for("missing", "Field required") == "Enter the start date"


STARTS_AT = TimeField("event.starts_at", "Start time", "the start time")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("10:00", time(10)),
        ("9:30", time(9, 30)),
        ("14.45", time(14, 45)),
        ("1430", time(14, 30)),
        ("2pm", time(14)),
        ("2:30 p.m.", time(14, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("midday", time(12)),
    ],
)
def test_a_time_is_read_as_people_write_it(typed: str, meant: time):
    assert STARTS_AT.read(posted({"event.starts_at": typed})) == meant


@pytest.mark.parametrize("typed", ["25:00", "10:60", "13pm", "soon", "10:0"])
def test_what_is_not_a_time_shows_an_example(typed: str):
    with pytest.raises(Invalid) as refusal:
        STARTS_AT.read(posted({"event.starts_at": typed}))

    assert refusal.value.message == "Enter the start time on the 24-hour clock, like 10:00 or 14:30"


COVER = MoneyField(
    "cover_gbp", "Cover", "the amount of cover", minimum=1, maximum=1_000_000_000, example="£5,000,000 or 5m"
)


def cover(typed: str) -> int | None:
    return COVER.read(posted({"cover_gbp": typed}))


def cover_refused(typed: str) -> str:
    with pytest.raises(Invalid) as refusal:
        cover(typed)
    return refusal.value.message


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        ("£5,000,000", 5_000_000),
        ("5000000", 5_000_000),
        ("5,000,000", 5_000_000),
        ("5m", 5_000_000),
        ("£5m", 5_000_000),
        ("£5M", 5_000_000),
        ("5 million", 5_000_000),
        ("5.5m", 5_500_000),
        ("£250k", 250_000),
        ("£ 10,000,000.00", 10_000_000),
        ("1bn", 1_000_000_000),
    ],
)
def test_an_amount_of_money_is_read_as_people_write_it(typed: str, pounds: int):
    assert cover(typed) == pounds


@given(st.integers(min_value=1, max_value=1_000_000_000))
def test_any_whole_pound_amount_written_with_a_pound_sign_and_commas_reads_as_itself(pounds: int):
    assert cover(f"£{pounds:,}") == pounds
    assert cover(str(pounds)) == pounds


@given(st.integers(min_value=1, max_value=1_000_000_000))
def test_any_amount_shown_again_reads_back_as_itself(pounds: int):
    assert cover(str(COVER.show(pounds)["cover_gbp"])) == pounds


@pytest.mark.parametrize("typed", ["five million", "5,00,000", "$5m", "5 gazillion", "£", "5m pounds", "-5m", "5e6"])
def test_what_is_not_an_amount_of_money_shows_how_to_write_one(typed: str):
    assert cover_refused(typed) == "Enter the amount of cover, like £5,000,000 or 5m"


@pytest.mark.parametrize("typed", ["£5,000,000.50", "5.0000005m", "£2.5"])
def test_pence_are_refused_in_favour_of_whole_pounds(typed: str):
    assert cover_refused(typed) == "Enter the amount of cover in whole pounds, like £5,000,000 or 5m"


@pytest.mark.parametrize("typed", ["0", "£0", "2bn"])
def test_an_amount_out_of_range_says_the_range(typed: str):
    assert cover_refused(typed) == "The amount of cover must be between £1 and £1,000,000,000"


def test_no_amount_asks_for_it():
    assert cover_refused("") == "Enter the amount of cover"
