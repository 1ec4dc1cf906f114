"""Gradio's upload folder: whether a path is a visitor's upload, and removing one.

Kept apart from the handlers so that the one rule for deleting files (only inside Gradio's
upload folder, never a path a request chose) lives in one small place.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from gradio.utils import get_upload_folder

__all__ = ["discard_upload", "uploaded_path"]


def uploaded_path(file: Path) -> Path | None:
    """``file`` resolved, if it lies inside Gradio's upload folder; else None."""
    root = Path(get_upload_folder()).resolve()
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return resolved if root in resolved.parents else None


def discard_upload(file: Path) -> None:
    """Remove an uploaded file, and its folder when empty; anything outside Gradio's upload
    folder is left alone (a path this function deletes must never be one a request chose)."""
    resolved = uploaded_path(file)
    if resolved is None:
        return
    with suppress(OSError):
        resolved.unlink(missing_ok=True)
        if resolved.parent != Path(get_upload_folder()).resolve():
            resolved.parent.rmdir()  # the per-upload folder; fails (kept) while not empty
