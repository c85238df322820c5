"""The one hierarchy of errors a user can act on (issue 11).

Every error that the product raises *on purpose* — bad input, an unknown region, an unreachable
database, a refused query — derives from :class:`IpecoError`, and its message is one sentence
that says what happened, where, and what to do next. Front-ends catch ``IpecoError`` alone: the
CLI prints the message and exits 1, the web app shows it in the user's page. Anything else is a
programming error and keeps its traceback, so that a bug is never dressed up as a user mistake.

The subclasses also derive from the builtin that fits (``ValueError``, ``KeyError``,
``RuntimeError``) so that library-style callers can catch them the ordinary way.
"""

from __future__ import annotations

__all__ = ["InputError", "IpecoError", "NotFoundError", "ServiceError"]


class IpecoError(Exception):
    """An error a user can act on; ``str(error)`` is the message to show them."""

    def __str__(self) -> str:
        # KeyError-style classes would otherwise print their message in quotes.
        return str(self.args[0]) if self.args else self.__class__.__name__


class InputError(IpecoError, ValueError):
    """Input the product cannot use: a file, a value or an argument; the message names which."""


class NotFoundError(IpecoError, KeyError):
    """Something named by the user (a region, an organisation, a saved query) does not exist.

    A ``KeyError`` too, so that lookups that raised one before keep their callers working; its
    message is shown unquoted (:meth:`IpecoError.__str__`).
    """


class ServiceError(IpecoError, RuntimeError):
    """A service the product needs (the store, the local Neo4j) is unavailable or refused the work."""
