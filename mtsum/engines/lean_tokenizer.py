"""A checkpoint's tokenizer without torch, for the CTranslate2 engine.

``transformers.AutoTokenizer`` reads the model's config through transformers'
``configuration_utils``, which imports torch: about 190 MB resident (measured: 27 MB after
``import ctranslate2``, 262 MB after importing ``AutoTokenizer``, 73 MB after importing
``MarianTokenizer`` from its own module; the bench's translate + summarise run on CTranslate2
peaked at 688 MB instead of 873 MB). CTranslate2 needs no torch, so for the architectures
mtsum routes this module picks the class ``AutoTokenizer`` would (the one the checkpoint
declares, else the one its ``model_type`` maps to in transformers) and imports it from its own
module. Anything else goes through ``AutoTokenizer`` as before. The class comes from a fixed
table, never from the files.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

__all__ = ["load_tokenizer", "tokenizer_class_name"]

# model_type -> the tokenizer class transformers maps it to (tokenization_auto's table).
_BY_MODEL_TYPE = {
    "marian": "MarianTokenizer",
    "bart": "RobertaTokenizer",
    "pegasus": "PegasusTokenizer",
    "t5": "T5Tokenizer",
    "m2m_100": "M2M100Tokenizer",
    "nllb": "NllbTokenizer",
    "mbart": "MBartTokenizer",
}
# tokenizer class -> the transformers module that defines it.
_MODULES = {
    "MarianTokenizer": "transformers.models.marian.tokenization_marian",
    "BartTokenizer": "transformers.models.bart.tokenization_bart",
    "RobertaTokenizer": "transformers.models.roberta.tokenization_roberta",
    "PegasusTokenizer": "transformers.models.pegasus.tokenization_pegasus",
    "T5Tokenizer": "transformers.models.t5.tokenization_t5",
    "M2M100Tokenizer": "transformers.models.m2m_100.tokenization_m2m_100",
    "NllbTokenizer": "transformers.models.nllb.tokenization_nllb",
    "MBartTokenizer": "transformers.models.mbart.tokenization_mbart",
    "MBart50Tokenizer": "transformers.models.mbart50.tokenization_mbart50",
}


def tokenizer_class_name(folder: Path) -> str | None:
    """The tokenizer class of the checkpoint in ``folder``, if it is one this module imports."""
    declared = _read_json(folder / "tokenizer_config.json")
    if "auto_map" in declared:  # custom code: leave it to AutoTokenizer (which refuses it)
        return None
    name = declared.get("tokenizer_class")
    if not isinstance(name, str):
        model_type = _read_json(folder / "config.json").get("model_type")
        name = _BY_MODEL_TYPE.get(model_type) if isinstance(model_type, str) else None
    if name is None:
        return None
    name = name.removesuffix("Fast")  # transformers 5 has one class per tokenizer
    return name if name in _MODULES else None


def load_tokenizer(folder: Path) -> Any:
    """The tokenizer of the checkpoint in ``folder``, local files only, no remote code.

    Raises:
        Exception: whatever transformers raises for a broken tokenizer (many types).
    """
    name = tokenizer_class_name(folder)
    if name is None:
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(folder, local_files_only=True, trust_remote_code=False)
    tokenizer_class = getattr(importlib.import_module(_MODULES[name]), name)
    return tokenizer_class.from_pretrained(folder, local_files_only=True, trust_remote_code=False)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
