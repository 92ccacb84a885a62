"""All settings in one typed object, read from `AQA_*` environment variables; CLI flags override."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import (
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from errors import UserError
from index.settings_groups import (
    AnsweringSettings,
    Audience,
    ChatSettings,
    ChunkingSettings,
    EmbeddingSettings,
    GroupView,
    LlmSettings,
    RetrievalSettings,
    ScreeningSettings,
    StoreSettings,
    SupportThresholds,
    same_as,
)


class Settings(BaseSettings):
    """Every knob of the assistant. Environment: `AQA_<FIELD>` (e.g. `AQA_INDEX_DIR`). Each field is
    its group's (index/settings_groups.py: default, bounds, description); the properties below are the
    typed, frozen views by concern that the code is given."""

    model_config = SettingsConfigDict(env_prefix="AQA_", extra="forbid", validate_assignment=True)

    index_dir: Path = same_as(StoreSettings, "index_dir")
    chroma_host: str | None = same_as(StoreSettings, "chroma_host")
    chroma_port: int = same_as(StoreSettings, "chroma_port")
    cache_dir: Path = same_as(StoreSettings, "cache_dir")
    collection: str = same_as(StoreSettings, "collection")
    embed_model: str | None = same_as(EmbeddingSettings, "embed_model")
    embed_backend: Literal["onnx", "torch"] = same_as(EmbeddingSettings, "embed_backend")
    embed_cache_dir: Path = same_as(EmbeddingSettings, "embed_cache_dir")
    embed_batch_size: int = same_as(EmbeddingSettings, "embed_batch_size")
    embed_quantize: Literal["none", "int8"] = same_as(EmbeddingSettings, "embed_quantize")
    chunk_tokens: int = same_as(ChunkingSettings, "chunk_tokens")
    chunk_overlap_tokens: int = same_as(ChunkingSettings, "chunk_overlap_tokens")
    top_k: int = same_as(RetrievalSettings, "top_k")
    neighbour_chunks: int = same_as(RetrievalSettings, "neighbour_chunks")
    rare_word_chunks: int = same_as(RetrievalSettings, "rare_word_chunks")
    definition_chunks: int = same_as(RetrievalSettings, "definition_chunks")
    covering_chunks: int = same_as(RetrievalSettings, "covering_chunks")
    kind_chunks: int = same_as(RetrievalSettings, "kind_chunks")
    compared_chunks: int = same_as(RetrievalSettings, "compared_chunks")
    retrieval: Literal["dense", "bm25", "hybrid"] = same_as(RetrievalSettings, "retrieval")
    candidates: int = same_as(RetrievalSettings, "candidates")
    rrf_k: int = same_as(RetrievalSettings, "rrf_k")
    dense_weight: float = same_as(RetrievalSettings, "dense_weight")
    bm25_weight: float = same_as(RetrievalSettings, "bm25_weight")
    max_chunks_per_doc: int = same_as(RetrievalSettings, "max_chunks_per_doc")
    rerank: bool = same_as(RetrievalSettings, "rerank")
    rerank_bm25: float = same_as(RetrievalSettings, "rerank_bm25")
    rerank_coverage: float = same_as(RetrievalSettings, "rerank_coverage")
    heading_lift: float = same_as(RetrievalSettings, "heading_lift")
    answerer: str = same_as(AnsweringSettings, "answerer")
    max_answer_sentences: int = same_as(AnsweringSettings, "max_answer_sentences")
    min_evidence_score: float = same_as(AnsweringSettings, "min_evidence_score")
    refuse_uncovered: bool = same_as(ScreeningSettings, "refuse_uncovered")
    lead_model: bool = same_as(AnsweringSettings, "lead_model")
    reader: bool = same_as(AnsweringSettings, "reader")
    answer_weights: Path | None = same_as(AnsweringSettings, "answer_weights")
    prefill_sentences: int = same_as(AnsweringSettings, "prefill_sentences")
    audience: Audience = same_as(AnsweringSettings, "audience")
    host: str = same_as(ChatSettings, "host")
    port: int = same_as(ChatSettings, "port")
    max_question_chars: int = same_as(ChatSettings, "max_question_chars")
    corpus_dir: Path = same_as(ChatSettings, "corpus_dir")
    glossary: Path | None = same_as(ScreeningSettings, "glossary")
    correct_spelling: bool = same_as(ScreeningSettings, "correct_spelling")
    rewrite_queries: bool = same_as(ScreeningSettings, "rewrite_queries")
    refuse_unknown_names: bool = same_as(ScreeningSettings, "refuse_unknown_names")
    guardrails: bool = same_as(ScreeningSettings, "guardrails")
    citecheck: Literal["remove", "flag"] = same_as(AnsweringSettings, "citecheck")
    support_cosine: float = same_as(SupportThresholds, "cosine")
    support_overlap: float = same_as(SupportThresholds, "overlap")
    staff_extra_sentences: int = same_as(AnsweringSettings, "staff_extra_sentences")
    llm: Literal["llamacpp", "openai", "ollama"] | None = same_as(LlmSettings, "llm")
    llm_model: str | None = same_as(LlmSettings, "llm_model")
    llm_base_url: str | None = same_as(LlmSettings, "llm_base_url")
    llm_api_key_env: str = same_as(LlmSettings, "llm_api_key_env")
    llm_max_tokens: int = same_as(LlmSettings, "llm_max_tokens")
    llm_temperature: float = same_as(LlmSettings, "llm_temperature")
    llm_context_tokens: int = same_as(LlmSettings, "llm_context_tokens")
    llm_threads: int | None = same_as(LlmSettings, "llm_threads")
    feedback: bool = same_as(ChatSettings, "feedback")
    feedback_db: Path = same_as(ChatSettings, "feedback_db")
    auth: SecretStr | None = same_as(ChatSettings, "auth")
    dev_view: bool = same_as(ChatSettings, "dev_view")

    # the views by concern: typed, frozen, built from the fields above when read
    store: ClassVar[GroupView[StoreSettings]] = GroupView(StoreSettings)
    embedding: ClassVar[GroupView[EmbeddingSettings]] = GroupView(EmbeddingSettings)
    chunking: ClassVar[GroupView[ChunkingSettings]] = GroupView(ChunkingSettings)
    retrieving: ClassVar[GroupView[RetrievalSettings]] = GroupView(RetrievalSettings)
    screening: ClassVar[GroupView[ScreeningSettings]] = GroupView(ScreeningSettings)
    answering: ClassVar[GroupView[AnsweringSettings]] = GroupView(AnsweringSettings)
    llm_answerer: ClassVar[GroupView[LlmSettings]] = GroupView(LlmSettings)
    chat: ClassVar[GroupView[ChatSettings]] = GroupView(ChatSettings)

    @property
    def support(self) -> SupportThresholds:
        """The citation support thresholds (`support_cosine`, `support_overlap`)."""
        return SupportThresholds(cosine=self.support_cosine, overlap=self.support_overlap)

    @model_validator(mode="before")
    @classmethod
    def _llm_alias(cls, data: Any) -> Any:
        """AQA_LLM=llamacpp means AQA_ANSWERER=llamacpp unless the answerer is given too."""
        if isinstance(data, dict) and data.get("llm") and not data.get("answerer"):
            return {**data, "answerer": data["llm"]}
        return data

    @field_validator("embed_quantize")
    @classmethod
    def _int8_is_torch(cls, value: str, info: ValidationInfo) -> str:
        if value == "int8" and info.data.get("embed_backend") != "torch":
            raise ValueError("int8 is torch's dynamic quantization; set AQA_EMBED_BACKEND=torch with it")
        return value

    @field_validator("answerer")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment with the given overrides (None values are ignored)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "settings"
        raise UserError(
            f"setting '{field}' (env AQA_{field.upper()}): {first['msg']}; fix the value and try again"
        ) from None
