"""The ONNX Runtime embedder: the packaged model's vectors as torch makes them, exported once and cached
safely, a fallback to torch that says why, and a query path that never imports torch."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index import onnx_embedder
from index.embedder import get_embedder, packaged_model_dir
from index.settings import Settings
from ingest.pipeline import ingest_paths
from retriever.chain import Assistant

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).resolve().parents[2] / "corpus" / "articles"
ROOT = Path(__file__).resolve().parents[2]


def corpus_texts(n: int = 200) -> list[str]:
    """n paragraphs of the project's own articles, every k-th so all articles and lengths are in."""
    paragraphs = [
        p.strip()
        for path in sorted(ARTICLES.glob("*.md"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) > 40
    ]
    step = len(paragraphs) / n
    return [paragraphs[int(i * step)] for i in range(n)]


def test_onnx_vectors_match_torch_on_200_corpus_texts() -> None:
    onnx = get_embedder(Settings(embed_backend="onnx"))
    torch = get_embedder(Settings(embed_backend="torch"))
    assert (onnx.backend, torch.backend) == ("onnx", "torch")
    assert onnx.model_id == torch.model_id  # an index built by one is queried by the other
    assert (onnx.max_seq_length, onnx.dimension) == (torch.max_seq_length, torch.dimension) == (256, 384)
    # the corpus, plus a text past the 256 word pieces (truncated alike), an empty one and a lone word
    texts = [*corpus_texts(), "Lupus nephritis affects the kidneys. " * 60, "", "lupus"]
    assert max(onnx.count_wordpieces(texts)) > onnx.max_seq_length
    assert onnx.count_wordpieces(texts) == torch.count_wordpieces(texts)
    a, b = onnx.encode(texts), torch.encode(texts)
    assert a.dtype == np.float32 and a.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.9999, (cosines.min(), int(cosines.argmin()))
    # batch composition does not change a text's vector (padding is masked out)
    assert np.allclose(onnx.encode(texts[:5], batch_size=1), a[:5], atol=1e-5)


def test_batches_run_side_by_side_give_each_text_its_own_vector(monkeypatch: pytest.MonkeyPatch) -> None:
    onnx = get_embedder(Settings(embed_backend="onnx"))
    monkeypatch.setattr(onnx, "workers", 2)  # the worker threads even on a one-core machine
    texts = corpus_texts(40)
    together = onnx.encode(texts, batch_size=4)  # ten batches, two at a time
    alone = np.stack([onnx.encode([text])[0] for text in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(onnx.encode(texts[:2]), together[:2], atol=1e-5)  # two texts: a batch a thread


def test_an_index_built_with_torch_is_queried_with_onnx(fixture_corpus: Path, tmp_path: Path) -> None:
    built = Settings(index_dir=tmp_path / "idx", embed_backend="torch")
    assert ingest_paths([fixture_corpus], built).chunks > 0
    answer = Assistant(built.model_copy(update={"embed_backend": "onnx"})).ask(
        "What is teclistamab?", audience="staff"
    )
    assert not answer.refused and answer.citations


def test_the_export_is_cached_under_the_model_hash_and_runtime_version(tmp_path: Path) -> None:
    model = packaged_model_dir()
    path = onnx_embedder.cached_export_path(model, tmp_path, "1.32.0")
    assert path == onnx_embedder.cached_export_path(model, tmp_path, "1.32.0")  # the memoised digest
    assert path.parent == tmp_path and path.name.startswith("all-MiniLM-L6-v2-")
    assert path != onnx_embedder.cached_export_path(model, tmp_path, "1.33.0")
    copy = tmp_path / "copy"
    shutil.copytree(model, copy)
    (copy / "config.json").write_text((model / "config.json").read_text() + "\n")
    assert onnx_embedder.cached_export_path(copy, tmp_path, "1.32.0").name != path.name


def test_an_interrupted_export_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(transformer_dir: Path, path: Path) -> None:
        path.write_bytes(b"half an ONNX file")
        raise KeyboardInterrupt

    monkeypatch.setattr(onnx_embedder, "_export", killed)
    model = packaged_model_dir()
    with pytest.raises(KeyboardInterrupt):
        onnx_embedder.load_onnx_embedder(model, 32, tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.is_file()]


def test_a_damaged_cached_export_is_exported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = get_embedder(Settings())
    assert good.backend == "onnx"
    model = packaged_model_dir()
    target = onnx_embedder.cached_export_path(model, tmp_path, onnx_embedder_version())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"not a model")
    monkeypatch.setattr(  # the real export is tested above; here a copy of its result stands in
        onnx_embedder, "export_model", lambda _m, path, _r: shutil.copyfile(good.onnx_path, path)
    )
    embedder = onnx_embedder.load_onnx_embedder(model, 32, tmp_path)
    assert "does not load" in capsys.readouterr().err
    assert np.allclose(embedder.encode(["lupus"]), good.encode(["lupus"]), atol=1e-6)


def onnx_embedder_version() -> str:
    import onnxruntime

    return str(onnxruntime.__version__)


def test_a_failed_export_falls_back_to_torch_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(transformer_dir: Path, path: Path) -> None:
        raise RuntimeError("exporter broke")

    monkeypatch.setattr(onnx_embedder, "_export", broken)
    with caplog.at_level(logging.WARNING, logger="autoimmune_qa.embedder"):
        embedder = get_embedder(Settings(embed_cache_dir=tmp_path))  # a new cache: the export runs
    assert embedder.backend == "torch"
    assert "exporter broke" in caplog.text and "embedding with torch" in caplog.text
    assert not [p for p in tmp_path.iterdir() if p.is_file()]


LIGHT_PATH = """
import json, sys
from app.cli import main
code = main(["ask", "What is teclistamab?", "--json", "--index", sys.argv[1]])
from app.api import create_app
from index.settings import Settings
from retriever.chain import Assistant
create_app(Assistant(Settings(index_dir=sys.argv[1])), ui=True)  # the chat and the API
heavy = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
print(json.dumps({"code": code, "heavy": heavy}))
"""


def test_ask_chat_and_api_import_no_torch_with_the_onnx_backend(built_index: Settings) -> None:
    get_embedder(Settings())  # the export exists before the child runs
    env = {k: v for k, v in os.environ.items() if not k.startswith("AQA_")}
    done = subprocess.run(
        [sys.executable, "-c", LIGHT_PATH, str(built_index.index_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "heavy": []}
