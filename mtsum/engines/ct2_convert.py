"""CTranslate2 conversions in the model store: made once, written atomically, checked on use.

CTranslate2 runs its own model format, so a transformers checkpoint is converted the first time
it is used and kept in ``<MTSUM_MODEL_DIR>/ct2/<model key>/<quantization>``. The conversion is
written into a temporary folder and renamed into place only when complete, with a manifest
written last; an entry without a valid manifest, with a file of the wrong size, or made from a
source that has changed since, is rebuilt. Two processes converting the same model at once both
finish; the first rename wins and the other uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailableError
from .base import MODEL_BUILD_LOCK
from .hf import has_safetensors

__all__ = [
    "MANIFEST",
    "ConversionFailedError",
    "check_conversion",
    "conversion_dir",
    "convert_model",
    "ensure_converted",
]

log = logging.getLogger(__name__)

MANIFEST = "mtsum-conversion.json"
# Bumped when the layout or the conversion recipe changes, so old entries are rebuilt.
_FORMAT = 1
_SOURCE_PATTERNS = ("config.json", "generation_config.json", "*.safetensors", "*.bin")


class ConversionFailedError(ModelUnavailableError):
    """The checkpoint could not be converted (an architecture CTranslate2 does not support)."""


def conversion_dir(
    store_dir: Path, reference: str, revision: str | None, quantization: str
) -> Path:
    """Where the conversion of ``reference`` at ``revision`` with ``quantization`` lives."""
    key = f"{reference}@{revision}" if revision else reference
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._-")[-60:] or "model"
    # The digest keeps two references apart that read the same once made file-name safe.
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return store_dir / "ct2" / f"{readable}-{digest}" / quantization


def source_fingerprint(folder: Path) -> dict[str, str]:
    """Size and modification time of the files a conversion is made from."""
    files = sorted({p for pattern in _SOURCE_PATTERNS for p in folder.glob(pattern)})
    return {p.name: f"{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files}


def check_conversion(final: Path, source: Path) -> str | None:
    """Why the conversion in ``final`` cannot be used, or None when it is complete and current."""
    if not final.is_dir():
        return "not converted yet"
    try:
        manifest = json.loads((final / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "it has no readable manifest (an interrupted or foreign conversion)"
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        return "it was made by another version of mtsum"
    if manifest.get("source") != source_fingerprint(source):
        return "the source model has changed since it was converted"
    files = manifest.get("files")
    if not isinstance(files, dict) or "model.bin" not in files:
        return "its manifest lists no model.bin"
    for name, size in files.items():
        path = final / name
        if not path.is_file() or path.stat().st_size != size:
            return f"{name} is missing or has the wrong size"
    return None


def convert_model(source: Path, output: Path, quantization: str, allow_pickle: bool) -> None:
    """Convert the transformers checkpoint in ``source`` to a CTranslate2 model in ``output``.

    Loads only local files, never runs remote code, and reads safetensors unless pickle weights
    are allowed.

    Raises:
        ModelUnavailableError: only pickle weights and they are not allowed.
        ConversionFailedError: the converter refused or failed.
    """
    safetensors = has_safetensors(source)
    if not safetensors and not allow_pickle:
        raise ModelUnavailableError(
            str(source),
            "it has only pickle weights (*.bin), which can run code when loaded; convert them "
            "to safetensors or let the operator set MTSUM_ALLOW_PICKLE=1",
        )
    converter = _local_converter(source, safetensors)
    try:
        converter.convert(str(output), quantization=quantization, force=True)
    except Exception as exc:  # the converter raises ValueError, KeyError, AttributeError, ...
        log.debug("conversion of %s failed", source, exc_info=True)
        raise ConversionFailedError(
            str(source),
            f"its conversion to CTranslate2 failed ({type(exc).__name__}: {exc}); "
            "use the transformers engine (MTSUM_ENGINE=transformers) for it",
        ) from exc


def ensure_converted(
    source: Path,
    reference: str,
    revision: str | None,
    quantization: str,
    store_dir: Path,
    allow_pickle: bool,
    *,
    rebuild: bool = False,
) -> Path:
    """The folder of a usable conversion of ``source``, converting it first when needed.

    Args:
        source: the transformers checkpoint folder.
        reference: the registry's model reference (names the cache entry).
        revision: the pinned revision, if any (part of the cache key).
        quantization: CTranslate2 weight type (``int8``, ``float16``, ...).
        store_dir: the model store.
        allow_pickle: whether pickle weights may be read.
        rebuild: convert again even if the entry looks complete (it failed to load).

    Raises:
        ModelUnavailableError: the conversion cannot be made.
    """
    final = conversion_dir(store_dir, reference, revision, quantization)
    problem = "it failed to load" if rebuild else check_conversion(final, source)
    if problem is None:
        return final
    if final.exists():
        log.warning("rebuilding the CTranslate2 conversion of %s: %s", reference, problem)
    else:
        log.info("converting %s to CTranslate2 (%s) into %s", reference, quantization, final)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".partial-{final.name}-{uuid.uuid4().hex[:8]}"
    try:
        fingerprint = source_fingerprint(source)
        convert_model(source, staging, quantization, allow_pickle)
        _write_manifest(staging, reference, revision, quantization, fingerprint)
        _move_into_place(staging, final, source)
    except ModelUnavailableError as exc:
        raise type(exc)(reference, exc.reason) from exc
    except OSError as exc:
        raise ModelUnavailableError(
            reference, f"its CTranslate2 conversion could not be written ({exc})"
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _write_manifest(
    folder: Path, reference: str, revision: str | None, quantization: str, source: dict[str, str]
) -> None:
    import ctranslate2

    manifest: dict[str, Any] = {
        "format": _FORMAT,
        "reference": reference,
        "revision": revision,
        "quantization": quantization,
        "ctranslate2": ctranslate2.__version__,
        "source": source,
        "files": {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()},
    }
    # Written last and renamed into place: a manifest means every other file is complete.
    partial = folder / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(partial, folder / MANIFEST)


def _move_into_place(staging: Path, final: Path, source: Path) -> None:
    """Rename ``staging`` to ``final``, first moving a stale entry out of the way."""
    if final.exists():
        stale = final.parent / f".stale-{final.name}-{uuid.uuid4().hex[:8]}"
        with contextlib.suppress(OSError):  # another process moved it first
            os.replace(final, stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        os.replace(staging, final)
    except OSError:
        # Another process renamed its own conversion into place first; keep it if it is valid.
        if check_conversion(final, source) is not None:
            raise


def _local_converter(source: Path, safetensors: bool) -> Any:
    """ctranslate2's transformers converter, restricted to local files and no remote code."""
    from ctranslate2.converters import TransformersConverter

    class LocalConverter(TransformersConverter):  # type: ignore[misc]
        def load_model(self, model_class: Any, path: str, **kwargs: Any) -> Any:
            for fixed in ("local_files_only", "trust_remote_code", "use_safetensors"):
                kwargs.pop(fixed, None)
            with MODEL_BUILD_LOCK:
                model = model_class.from_pretrained(
                    path,
                    local_files_only=True,
                    trust_remote_code=False,
                    use_safetensors=safetensors,
                    **kwargs,
                )
            _fill_config_defaults(model.config)
            return model

        def load_tokenizer(self, tokenizer_class: Any, path: str, **kwargs: Any) -> Any:
            return tokenizer_class.from_pretrained(
                path, local_files_only=True, trust_remote_code=False
            )

    return LocalConverter(str(source))


def _fill_config_defaults(config: Any) -> None:
    """Settings transformers 5 no longer keeps on a BART config but the converter reads.

    BART is a post-norm transformer; transformers' BART code hard-codes that, and old
    checkpoints (distilbart) still say ``normalize_before: false`` in their config.json.
    """
    if getattr(config, "model_type", None) == "bart":
        try:
            config.normalize_before  # noqa: B018  (probe: missing on transformers 5 configs)
        except AttributeError:
            config.normalize_before = False
