"""The ONNX Runtime backend: the installed model exported once with torch, then run without torch.

The export (a minute's work at most, ~10 s on 2 cores) happens on first use and lands in the user's
cache folder under a name keyed by the model files' hash, the onnxruntime version and the export
recipe, so a changed model or runtime gets a fresh export and an old one is never used by mistake.
It is written to a temporary file and renamed into place after ONNX Runtime has loaded it and its
vectors matched torch's: an interrupted export leaves no file that looks finished.

The graph holds the whole sentence-transformers recipe (BERT, mean pooling over the attention mask,
L2 normalisation); tokenisation is the model's own tokenizer.json through `tokenizers`, truncated at
the model's max_seq_length as sentence-transformers does.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import Embedder, model_id_of, untruncated_tokenizer

EXPORT_RECIPE = "1"  # bump when the exported graph changes (inputs, pooling, opset)
OPSET = 17
EXPORT_CHECK_MIN_COSINE = 0.9999  # an export whose vectors differ more from torch's is not kept
_CHECK_TEXTS = [
    "Lupus is an autoimmune disease.",
    "CAR-T cells were given to five people with severe lupus; all went into remission.",
    "a",
]


class OnnxUnavailable(Exception):
    """The onnx backend cannot run this model here (no onnxruntime, an unsupported model, a failed
    export); the factory falls back to torch and says why."""


def load_onnx_embedder(model_dir: Path, batch_size: int, cache_dir: Path) -> OnnxEmbedder:
    """The model's ONNX embedder, exporting the model into `cache_dir` first if needed."""
    try:
        import onnxruntime
    except ImportError:
        raise OnnxUnavailable("onnxruntime is not installed (pip install onnxruntime)") from None
    recipe = read_recipe(model_dir)
    path = cached_export_path(model_dir, cache_dir, onnxruntime.__version__)
    if path.is_file():
        try:
            return OnnxEmbedder(model_dir, batch_size, path, recipe)
        except Exception as exc:  # a damaged cache file: export again below
            print(
                f"autoimmune-qa: the cached ONNX model {path} does not load ({exc}); exporting again",
                file=sys.stderr,
            )
    export_model(model_dir, path, recipe)
    return OnnxEmbedder(model_dir, batch_size, path, recipe)


class ProcessThreads:
    """A pool of `workers` threads, made in the process that uses it: a forked child has none of its
    parent's threads, so it makes its own."""

    def __init__(self, workers: int, name: str) -> None:
        self.workers, self.name = workers, name
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix=self.name)
                self._pid = os.getpid()
            return self._executor


class OnnxEmbedder(Embedder):
    """Sentence vectors from an exported model on ONNX Runtime's CPU provider."""

    backend = "onnx"

    def __init__(self, model_dir: Path, batch_size: int, onnx_path: Path, recipe: dict[str, Any]) -> None:
        super().__init__(model_dir, batch_size, model_id_of(model_dir))
        self.onnx_path = onnx_path
        self.max_seq_length = int(recipe["max_seq_length"])
        self.lower_case = bool(recipe["do_lower_case"])
        self.workers = _cpu_count()
        self._session = _session(onnx_path)
        self._threads = ProcessThreads(self.workers, "aqa-onnx")
        self._inputs = [i.name for i in self._session.get_inputs()]
        self.dimension = int(self._session.get_outputs()[0].shape[-1])
        tokenizer_json = (Path(recipe["transformer_dir"]) / "tokenizer.json").read_text(encoding="utf-8")
        self._counter = untruncated_tokenizer(tokenizer_json)
        self._tokenizer = untruncated_tokenizer(tokenizer_json)
        self._tokenizer.enable_truncation(self.max_seq_length)

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Batches of texts of similar length (less padding), each padded to its longest text, run
        on `workers` threads at once, longest first; a call of few texts is split so that every
        thread has a batch."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.lower_case:
            texts = [t.lower() for t in texts]
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable")
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        size = min(batch_size or self.batch_size, -(-len(texts) // self.workers))  # a batch a thread at least
        batches = [order[start : start + size] for start in range(0, len(texts), size)]

        def run(rows: np.ndarray) -> None:
            vectors[rows] = self._run([encodings[i] for i in rows], int(lengths[rows].max()))

        if len(batches) > 1 and self.workers > 1:
            list(self._threads.pool().map(run, batches))  # list(): waits, and raises a batch's error here
        else:
            for rows in batches:
                run(rows)
        return vectors

    def _run(self, encodings: list[Any], width: int) -> np.ndarray:
        feed = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in self._inputs}
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            feed["input_ids"][row, :n] = encoding.ids
            feed["attention_mask"][row, :n] = 1
            if "token_type_ids" in feed:
                feed["token_type_ids"][row, :n] = encoding.type_ids
        return np.asarray(self._session.run(None, feed)[0], dtype=np.float32)


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _session(path: Path) -> Any:
    """A session whose runs each take one thread; `OnnxEmbedder.encode` runs batches side by side.

    One thread per batch rather than all threads on every operation of one batch: the threads of
    one operation wait for each other at its end, so a thread that another process (or ingest's
    own chunking and writing) takes the core from stalls them all, and on the answer's small
    batches the waiting costs more than the work (numbers: docs/benchmarks.md, Speed)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: its optimisation notes are not for users
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


# ---- what is exported, and where it is kept ------------------------------------------------------


def read_recipe(model_dir: Path) -> dict[str, Any]:
    """What the model's sentence-transformers config says about tokenising and pooling; a model that
    is not transformer → mean pooling (→ normalise) is refused."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = json.loads((model_dir / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
        st_config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
        config = json.loads((model_dir / modules[0]["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise OnnxUnavailable(
            f"model folder '{model_dir}' lacks a readable sentence-transformers config ({exc})"
        ) from None
    means_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    if kinds[:2] != ["Transformer", "Pooling"] or set(kinds[2:]) - {"Normalize"} or not means_only:
        raise OnnxUnavailable(
            f"model '{model_dir.name}' is {' → '.join(kinds)} with pooling {pooling}; the onnx backend "
            "runs transformer → mean pooling (→ normalise) models only"
        )
    if not (model_dir / modules[0]["path"] / "tokenizer.json").is_file():
        raise OnnxUnavailable(f"model '{model_dir.name}' has no tokenizer.json for the onnx backend")
    limit = int(config.get("max_position_embeddings") or 512)
    return {
        "transformer_dir": str(model_dir / modules[0]["path"]),
        "max_seq_length": min(int(st_config.get("max_seq_length") or limit), limit),
        "do_lower_case": bool(st_config.get("do_lower_case")),
    }


def cached_export_path(model_dir: Path, cache_dir: Path, runtime_version: str) -> Path:
    """cache_dir/<model name>-<hash of the model files, runtime version and recipe>.onnx"""
    key = hashlib.sha256(
        f"{model_files_digest(model_dir, cache_dir)}|onnxruntime {runtime_version}|recipe {EXPORT_RECIPE}|"
        f"opset {OPSET}".encode()
    ).hexdigest()
    name = model_id_of(model_dir).rsplit("/", 1)[-1]
    return cache_dir / f"{name}-{key[:20]}.onnx"


def model_files_digest(model_dir: Path, cache_dir: Path) -> str:
    """sha256 over the model folder's files (names and bytes). Reading 90 MB costs ~0.2 s, so the
    digest is remembered under the files' names, sizes and modification times."""
    files = sorted(p for p in model_dir.rglob("*") if p.is_file())
    stamp = hashlib.sha256(
        json.dumps(
            [str(model_dir.resolve())]
            + [[str(p.relative_to(model_dir)), p.stat().st_size, p.stat().st_mtime_ns] for p in files]
        ).encode()
    ).hexdigest()
    memo = cache_dir / "digests" / stamp
    try:
        return memo.read_text(encoding="ascii").strip()
    except OSError:
        pass
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(model_dir)).encode() + b"\0")
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    _write_atomically(memo, digest.hexdigest().encode())
    return digest.hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # only a memo: the next run computes it again


def export_model(model_dir: Path, target: Path, recipe: dict[str, Any]) -> None:
    """Export with torch, check it against torch, and put it in place (`export_checked`)."""

    def write(tmp: Path) -> None:
        wrapper = _export(Path(recipe["transformer_dir"]), tmp)
        _check_against_torch(wrapper, tmp, recipe)

    export_checked(target, f"the embedding model ({model_dir.name})", 10, write)


def export_checked(target: Path, what: str, seconds: int, write: Callable[[Path], None]) -> None:
    """Export `what` once: `write(tmp)` exports into a temporary file beside `target` and checks it,
    then the file is renamed into place, so a half-written export is never loaded. Any failure
    raises OnnxUnavailable and leaves no file behind. `seconds`: what to tell the user to expect."""
    started = time.perf_counter()
    print(
        f"autoimmune-qa: exporting {what} to ONNX once (about {seconds} s) into {target.parent}",
        file=sys.stderr,
        flush=True,
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=target.stem, suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise OnnxUnavailable(f"cannot write the ONNX export to '{target.parent}' ({exc.strerror})") from None
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OnnxUnavailable:
        raise
    except Exception as exc:
        raise OnnxUnavailable(f"exporting {what} to ONNX failed ({type(exc).__name__}: {exc})") from exc
    finally:
        tmp.unlink(missing_ok=True)
    print(
        f"autoimmune-qa: ONNX export done in {time.perf_counter() - started:.1f} s: {target}",
        file=sys.stderr,
        flush=True,
    )


def _export(transformer_dir: Path, path: Path) -> Any:
    import inspect

    import torch
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        """The transformer called with keyword arguments (transformers 5 changed their order), then
        mean pooling over the attention mask and L2 normalisation, as sentence-transformers does."""

        def __init__(self, model: Any, with_types: bool) -> None:
            super().__init__()
            self.model = model
            self.with_types = with_types

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
            extra = {"token_type_ids": token_type_ids} if self.with_types else {}
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    # Eager attention: the exported graph then holds plain matmuls and the padding mask, no fused kernel.
    model = AutoModel.from_pretrained(str(transformer_dir), attn_implementation="eager").eval()
    with_types = "token_type_ids" in inspect.signature(model.forward).parameters
    wrapper = MeanPooled(model, with_types).eval()
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_types else [])
    ids = torch.tensor([[101, 2023, 2003, 102], [101, 2023, 102, 0]], dtype=torch.long)  # one padded row
    example = (ids, (ids != 0).long(), torch.zeros_like(ids))[: len(names)]
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer notes about shapes it treats as constants
        torch.onnx.export(
            wrapper,
            example,
            str(path),
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes={
                **{n: {0: "batch", 1: "tokens"} for n in names},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
    return wrapper


def _check_against_torch(wrapper: Any, path: Path, recipe: dict[str, Any]) -> None:
    """The export's vectors for a padded batch must match torch's, or the export is not kept."""
    import torch

    tokenizer = untruncated_tokenizer((Path(recipe["transformer_dir"]) / "tokenizer.json").read_text("utf-8"))
    tokenizer.enable_truncation(int(recipe["max_seq_length"]))
    tokenizer.enable_padding()
    encodings = tokenizer.encode_batch(_CHECK_TEXTS)
    feed = {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
    }
    session = _session(path)
    names = [i.name for i in session.get_inputs()]
    got = session.run(None, {n: feed[n] for n in names})[0]
    with torch.no_grad():
        want = wrapper(*(torch.from_numpy(feed[n]) for n in names)).numpy()
    cosine = float((got * want).sum(axis=1).min())
    if cosine < EXPORT_CHECK_MIN_COSINE:
        raise OnnxUnavailable(f"the ONNX export's vectors differ from torch's (cosine {cosine:.5f})")
