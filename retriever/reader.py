"""The answer reader: reads the question and a candidate sentence together and scores whether it answers.

The packaged all-MiniLM-L6-v2 read as a cross-encoder (question and sentence in one input,
mean pooling, one linear output). Its top layers and output were trained here by
`python -m tools.train_reader` (`reader-init.npz`) then `python -m tools.train_reader_binary`, and
ship in `retriever/models/reader.npz` (float16, ~10 MB;
model card `retriever/models/READER.md`); the lower layers are the package's own weights. On first
use the two are put together and exported once to ONNX into the user's cache (named by a hash of
the package's model files, the shipped weights and the onnxruntime version), so answering runs on
ONNX Runtime without torch, like the embedder.
"""

from __future__ import annotations

import hashlib
import json
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import packaged_model_dir, untruncated_tokenizer
from index.onnx_embedder import (
    OPSET,
    OnnxUnavailable,
    ProcessThreads,
    _cpu_count,
    _session,
    export_checked,
    model_files_digest,
    read_recipe,
)

WEIGHTS = Path(__file__).resolve().parent / "models" / "reader.npz"
EXPORT_RECIPE = "1"
SCORES_KEPT = 4096  # (question, sentence) scores kept: a personal question's general answer reads them twice
CHECK_MAX_DIFFERENCE = 1e-3  # an export whose scores differ more from torch's is not kept
_CHECK_PAIRS = [
    ("how common is lupus", "About 1 in 1,000 people have lupus."),
    ("can car t cure lupus", "All five patients went into drug-free remission."),
]


def torch_reader(transformer_dir: Path, weights: dict[str, np.ndarray] | None = None) -> Any:
    """The reader as a torch module: the package's transformer, mean pooling, a linear output; with
    `weights` (trained parameter name → array), those parameters replaced."""
    import torch
    from transformers import AutoModel

    class Reader(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(transformer_dir), attn_implementation="eager")
            self.out = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.out(pooled).squeeze(-1)

    model = Reader()
    if weights is not None:
        state = model.state_dict()
        missing = set(weights) - set(state)
        if missing:
            raise OnnxUnavailable(
                f"the reader weights name parameters the model lacks: {sorted(missing)[:3]}"
            )
        for name, array in weights.items():
            state[name] = torch.from_numpy(np.asarray(array, dtype=np.float32))
        model.load_state_dict(state)
    return model.eval()


def read_weights(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    with np.load(path) as data:
        meta = json.loads(str(data["__meta__"]))
        return {k: data[k] for k in data.files if k != "__meta__"}, meta


class Reader:
    """Scores (question, sentence) pairs on ONNX Runtime; higher means more likely to answer."""

    def __init__(self, onnx_path: Path, transformer_dir: Path, max_tokens: int) -> None:
        self.onnx_path = onnx_path
        self._session = _session(onnx_path)
        self._inputs = [i.name for i in self._session.get_inputs()]
        spec = (transformer_dir / "tokenizer.json").read_text(encoding="utf-8")
        tokenizer = untruncated_tokenizer(spec)
        tokenizer.enable_truncation(max_tokens, strategy="only_second")
        self._tokenizer = tokenizer
        self._question_tokenizer = untruncated_tokenizer(spec)
        self._question_tokens = max_tokens // 2
        self.workers = _cpu_count()
        self._threads = ProcessThreads(self.workers, "aqa-reader")
        self._kept: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        """One logit per text. Pairs read before are taken from a bounded cache (`SCORES_KEPT`): a
        personal question's general answer is drafted twice, before and after dose sentences are
        withheld (`steps.withheld_lead`), and read the same sentences both times."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        question = self._fitted(question)
        with self._lock:
            known = {t: self._kept[(question, t)] for t in texts if (question, t) in self._kept}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        computed = dict(zip(missing, self._scored(question, missing), strict=True)) if missing else {}
        with self._lock:
            for text, logit in computed.items():
                self._kept[(question, text)] = logit
            for text in known:
                self._kept.move_to_end((question, text))
            while len(self._kept) > SCORES_KEPT:
                self._kept.popitem(last=False)
        return np.array([known[t] if t in known else computed[t] for t in texts], dtype=np.float32)

    def _scored(self, question: str, texts: list[str]) -> list[float]:
        """One logit per text, read by the model. The pairs are sorted by length and split in as many
        batches as there are cores, run side by side (one thread each, as the embedder's), so less is
        padded."""
        encodings = self._tokenizer.encode_batch([(question, t) for t in texts])
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        parts = [p for p in np.array_split(order, min(self.workers, len(texts))) if len(p)]
        logits = np.zeros(len(texts), dtype=np.float32)

        def run(rows: np.ndarray) -> None:
            width = max(len(encodings[i].ids) for i in rows)
            feed = {name: np.zeros((len(rows), width), dtype=np.int64) for name in self._inputs}
            for row, i in enumerate(rows):
                n = len(encodings[i].ids)
                feed["input_ids"][row, :n] = encodings[i].ids
                feed["attention_mask"][row, :n] = 1
                feed["token_type_ids"][row, :n] = encodings[i].type_ids
            logits[rows] = np.asarray(self._session.run(None, feed)[0], dtype=np.float32).reshape(-1)

        if len(parts) > 1:
            list(self._threads.pool().map(run, parts))  # list(): waits, and raises a batch's error here
        else:
            run(parts[0])
        return [float(x) for x in logits]

    def _fitted(self, question: str) -> str:
        """The question's last `max_tokens` / 2 word pieces when it is longer: the sentence is what gets
        cut, and a question that fills the pair alone leaves it no room (a long message that ends with
        its question once stopped the answer with a truncation error)."""
        encoding = self._question_tokenizer.encode(question, add_special_tokens=False)
        if len(encoding.ids) <= self._question_tokens:
            return question
        return question[encoding.offsets[len(encoding.ids) - self._question_tokens][0] :]


def load_reader(cache_dir: Path, weights: Path | None = None) -> Reader:
    """The reader (`weights`, default the shipped `WEIGHTS`), exported into `cache_dir` first if needed.
    Raises OnnxUnavailable when it cannot run here (no weights file, no onnxruntime, a failed export)."""
    weights = WEIGHTS if weights is None else weights
    try:
        import onnxruntime
    except ImportError:
        raise OnnxUnavailable("onnxruntime is not installed (pip install onnxruntime)") from None
    if not weights.is_file():
        raise OnnxUnavailable(
            f"no reader weights at {weights} (train them: python -m tools.train_reader, then python -m tools.train_reader_binary)"
        )
    model_dir = packaged_model_dir()
    transformer_dir = Path(read_recipe(model_dir)["transformer_dir"])
    key = hashlib.sha256(
        f"{model_files_digest(model_dir, cache_dir)}|{hashlib.sha256(weights.read_bytes()).hexdigest()}|"
        f"onnxruntime {onnxruntime.__version__}|recipe {EXPORT_RECIPE}|opset {OPSET}".encode()
    ).hexdigest()
    path = cache_dir / f"reader-{key[:20]}.onnx"
    arrays, meta = read_weights(weights)
    if not path.is_file():
        _export(transformer_dir, arrays, path)
    return Reader(path, transformer_dir, int(meta["max_tokens"]))


def _export(transformer_dir: Path, arrays: dict[str, np.ndarray], target: Path) -> None:
    """Put the reader together with torch, export it, check it and put it in place (`export_checked`)."""

    def write(tmp: Path) -> None:
        import torch

        model = torch_reader(transformer_dir, arrays)
        ids = torch.tensor([[101, 2129, 102, 2023, 102], [101, 2129, 102, 102, 0]], dtype=torch.long)
        types = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 1, 0]], dtype=torch.long)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model,
                (ids, (ids != 0).long(), types),
                str(tmp),
                input_names=names,
                output_names=["score"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "score": {0: "batch"}},
                opset_version=OPSET,
                dynamo=False,
            )
        _check(model, tmp, transformer_dir)

    export_checked(target, "the answer reader", 12, write)


def _check(model: Any, path: Path, transformer_dir: Path) -> None:
    import torch

    reader = Reader(path, transformer_dir, 64)
    for question, text in _CHECK_PAIRS:
        got = reader.score(question, [text])
        encoding = reader._tokenizer.encode(question, text)
        with torch.no_grad():
            want = model(
                torch.tensor([encoding.ids]),
                torch.tensor([encoding.attention_mask]),
                torch.tensor([encoding.type_ids]),
            ).numpy()
        if float(np.abs(got - want).max()) > CHECK_MAX_DIFFERENCE:
            raise OnnxUnavailable(f"the ONNX reader's scores differ from torch's ({got} vs {want})")
