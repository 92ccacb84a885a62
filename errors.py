"""Errors a person can act on: one line naming the thing and the fix.

A module of its own, beside the packages, because every layer raises `UserError` (a bad setting in
`index`, a bad download in `ingest`, a bad filter in `retriever`, a bad file in `evaluation`) and only
`app` catches it; it belongs to none of them and depends on nothing."""


class UserError(Exception):
    """A mistake in input, a path or a setting; the CLI prints it in one line and exits with code 2."""
