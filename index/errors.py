"""Errors a person can act on: one line naming the thing and the fix."""


class UserError(Exception):
    """A mistake in input, a path or a setting; the CLI prints it in one line and exits with code 2."""
