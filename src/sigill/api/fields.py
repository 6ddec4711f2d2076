"""Input types of the API that the database can always store: no NUL characters (PostgreSQL refuses
them), ids within a 64-bit integer, and times and dates within the years Sigill deals in. Each
limit is in the OpenAPI schema too, so clients (and schemathesis) see it."""

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1
NO_NUL = r"^[^\x00]*$"
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def text(max_length: int, *, min_length: int = 0) -> object:
    """A string of at most ``max_length`` characters, without NUL; surrounding space is kept."""
    return StringConstraints(max_length=max_length, min_length=min_length, pattern=NO_NUL)


def _in_range_date(value: dt.date) -> dt.date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise PydanticCustomError("date_out_of_range", "the year must be between 1900 and 2200")
    return value


def _in_range_time(value: dt.datetime) -> dt.datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise PydanticCustomError("date_out_of_range", "the year must be between 1900 and 2200")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")]
Day = Annotated[dt.date, AfterValidator(_in_range_date)]
Moment = Annotated[AwareDatetime, AfterValidator(_in_range_time)]
