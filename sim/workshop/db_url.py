"""Database URLs as results locations: telling one from a file path, and showing one without its password."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")


def is_database_url(location: str | Path | None) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a SQLite file.

    >>> is_database_url("postgresql://trove@db.example/trove"), is_database_url("var/trove.sqlite")
    (True, False)
    """
    return isinstance(location, str) and location.startswith(SCHEMES)


def printable(location: str | Path) -> str:
    """A results location as it may be printed or put in an error message: a database URL's password, if any,
    replaced by ``***``; a file path as it is.

    >>> printable("postgresql://trove:s3cret@db.example:5432/trove")
    'postgresql://trove:***@db.example:5432/trove'
    >>> printable("postgresql://trove@db.example/trove?password=s3cret&sslmode=require")
    'postgresql://trove@db.example/trove?password=***&sslmode=require'
    >>> printable(Path("var") / "trove.sqlite") == str(Path("var/trove.sqlite"))
    True
    """
    if not is_database_url(location):
        return str(location)
    parts = urlsplit(location)
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, hosts = netloc.rpartition("@")
        netloc = f"{userinfo.partition(':')[0]}:***@{hosts}"
    query = "&".join(
        "password=***" if item.partition("=")[0] == "password" else item for item in parts.query.split("&")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
