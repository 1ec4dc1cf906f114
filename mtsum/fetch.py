"""Putting a model's files into the store: downloads and one-time pickle conversions.

Kept apart from the in-memory cache (``models.py``). A download lands in a temporary folder
that is renamed into place only when complete, so an interrupted one never counts as a model.
Weights published only as pickle (``pytorch_model.bin``, the layout of many older OPUS-MT
repositories, and of their local copies) are converted once to safetensors with torch's
weights-only loader, which reads tensors and plain containers and never runs code; the store
keeps the result and loads only that afterwards. ``MTSUM_ALLOW_PICKLE=1`` skips the conversion
and loads the pickle directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from .engines.base import MODEL_BUILD_LOCK
from .engines.ct2_convert import source_fingerprint
from .engines.hf import has_safetensors
from .errors import ModelUnavailableError
from .progress import DOWNLOADING, HubBytes, ProgressFn
from .registry import ModelEntry
from .settings import Settings

__all__ = ["convert_to_safetensors", "download", "safe_copy"]

log = logging.getLogger(__name__)

# What a seq2seq checkpoint needs; TensorFlow, Flax, Rust and ONNX weights are never fetched.
NEEDED_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors"]
PICKLE_FILES = ["*.bin"]
_MANIFEST = "mtsum-converted.json"
# A download killed half-way (power cut, OOM kill) leaves its temporary folder; the next
# download of the model removes those older than a day, far longer than any download takes
# (the 1.2 GB summariser at 1 Mbit/s: under 3 hours), so a live one is never touched.
_STALE_PARTIAL_S = 24 * 3600


def download(entry: ModelEntry, final: Path, settings: Settings, progress: ProgressFn) -> Path:
    """Download the hub model ``entry`` into ``final`` (safetensors preferred), atomically.

    Raises:
        ModelUnavailableError: offline, unreachable, not on the hub, or without weights.
    """
    if settings.offline:
        raise ModelUnavailableError(entry.reference, offline_reason(final), entry.name)
    from huggingface_hub import snapshot_download

    final.parent.mkdir(parents=True, exist_ok=True)
    _sweep_partials(final)
    staging = final.parent / f".partial-{final.name}-{uuid.uuid4().hex[:8]}"
    label = f"{DOWNLOADING}{entry.name} ({entry.reference})"
    counter = HubBytes(lambda done, total: progress(label, done, total))

    def fetch(patterns: list[str]) -> None:
        snapshot_download(
            entry.reference,
            revision=entry.revision,
            local_dir=staging,
            allow_patterns=patterns,
            endpoint=settings.hub_endpoint,
            tqdm_class=counter.tqdm_class,
        )

    try:
        log.info("downloading %s (%s) into %s", entry.name, entry.reference, final)
        fetch(NEEDED_FILES + (PICKLE_FILES if settings.allow_pickle else []))
        if not has_safetensors(staging) and not settings.allow_pickle:
            fetch(PICKLE_FILES)
            if any(staging.glob("*.bin")):
                convert_to_safetensors(staging, entry.name, progress)
        shutil.rmtree(staging / ".cache", ignore_errors=True)
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging, final)
    except ModelUnavailableError as exc:
        raise ModelUnavailableError(entry.reference, exc.reason, entry.name) from exc
    except Exception as exc:  # network, disk and hub errors all mean "not available"
        log.debug("download of %s failed", entry.reference, exc_info=True)
        reason = download_failure(exc, final, settings.hub_endpoint)
        raise ModelUnavailableError(entry.reference, reason, entry.name) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("downloaded %s into %s", entry.reference, final)
    return final


def _sweep_partials(final: Path) -> None:
    """Remove what downloads of ``final`` killed long ago left behind."""
    now = time.time()
    for left in final.parent.glob(f".partial-{final.name}-*"):
        with contextlib.suppress(OSError):
            if now - left.stat().st_mtime > _STALE_PARTIAL_S:
                log.info("removing %s, left by an interrupted download", left)
                shutil.rmtree(left, ignore_errors=True)


def safe_copy(source: Path, store_dir: Path, name: str, progress: ProgressFn) -> Path:
    """A copy of the pickle-only model in ``source`` with safetensors weights, made once.

    The copy lives in ``<store>/converted/`` and is made again when ``source`` changes.

    Raises:
        ModelUnavailableError: the weights cannot be read or the copy cannot be written.
    """
    key = str(source.resolve())
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._-")[-60:] or "model"
    final = store_dir / "converted" / f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    fingerprint = source_fingerprint(source)
    if _manifest(final) == {"source": key, "fingerprint": fingerprint}:
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".partial-{final.name}-{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
        for file in source.iterdir():
            if file.is_file() and any(file.match(p) for p in NEEDED_FILES + PICKLE_FILES):
                shutil.copy2(file, staging / file.name)
        convert_to_safetensors(staging, name, progress)
        manifest = {"source": key, "fingerprint": fingerprint}
        (staging / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging, final)
    except OSError as exc:
        raise ModelUnavailableError(
            str(source), f"its safetensors copy could not be written ({exc})"
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _manifest(folder: Path) -> Any:
    try:
        return json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def convert_to_safetensors(
    folder: Path, name: str = "", progress: ProgressFn | None = None
) -> None:
    """Rewrite a folder's pickle weights as ``model.safetensors`` and delete the pickle files.

    Uses transformers' loader with ``weights_only=True``: torch's weights-only unpickler, which
    reads tensors and plain containers only, never code. Then saves with safetensors.

    Raises:
        ModelUnavailableError: the pickle weights cannot be read (corrupt, or not only weights).
    """
    from transformers import AutoModelForSeq2SeqLM

    label = f"converting {name or folder.name} to safetensors"
    log.info(
        "%s: its weights are pickle only; converting them once with torch's weights-only loader",
        label,
    )
    if progress is not None:
        progress(label, 0, 1)
    try:
        with MODEL_BUILD_LOCK:
            model = AutoModelForSeq2SeqLM.from_pretrained(
                folder,
                local_files_only=True,
                trust_remote_code=False,
                use_safetensors=False,
                weights_only=True,
            )
    except Exception as exc:  # a corrupt or hostile pickle surfaces as many exception types
        log.debug("converting %s failed", folder, exc_info=True)
        raise ModelUnavailableError(
            name or str(folder),
            f"its pickle weights could not be read safely ({type(exc).__name__}: {exc})",
        ) from exc
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        model.save_pretrained(tmp)
        for produced in Path(tmp).glob("*.safetensors*"):
            os.replace(produced, folder / produced.name)
    for pickle_file in folder.glob("*.bin"):
        pickle_file.unlink()
    if progress is not None:
        progress(label, 1, 1)
    log.info("converted the pickle weights in %s to safetensors", folder)


def offline_reason(final: Path) -> str:
    """Why nothing can be downloaded offline, and what to do instead."""
    return (
        "there is no network to download it from: mtsum is offline (MTSUM_OFFLINE or "
        f"HF_HUB_OFFLINE is set); copy the model's folder (config, tokenizer, weights) to {final}, "
        "or unset them and download from the hub or a mirror (HF_ENDPOINT)"
    )


def download_failure(exc: Exception, final: Path, endpoint: str | None) -> str:
    """A one-line reason for a failed download, without the hub client's paragraphs."""
    from huggingface_hub.errors import (
        GatedRepoError,
        LocalEntryNotFoundError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, GatedRepoError):
        return "the download failed: the repository is gated (log in with a token that has access)"
    if isinstance(exc, RepositoryNotFoundError):
        return "the download failed: no such repository on the model hub"
    if isinstance(exc, RevisionNotFoundError):
        return "the download failed: no such revision in the repository"
    if isinstance(exc, OfflineModeIsEnabled) or isinstance(exc.__cause__, OfflineModeIsEnabled):
        return offline_reason(final)
    if isinstance(exc, LocalEntryNotFoundError):
        where = endpoint or "the model hub"
        return (
            f"there is no network to {where}: it cannot be reached; copy the model's folder "
            f"(config, tokenizer, weights) to {final}, or set HF_ENDPOINT to a mirror you can "
            "reach, or HF_HUB_OFFLINE=1 to stop trying"
        )
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"the download failed ({type(exc).__name__}: {first_line})"
