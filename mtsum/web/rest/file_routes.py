"""LibreTranslate's file routes: ``/translate_file``, ``/download_file/<id>``, and the settings.

A document is translated by the same core as the CLI's ``-o`` (``mtsum.documents``) and kept
in a ``TempFiles`` store until its download; the answer is LibreTranslate's ``translatedFileUrl``.
Bad input (an unsupported type, an unreadable or hostile file, a bad language) is a 400, a
file over the upload limit or a text over the character limit a 413: never a 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from ...documents import SUPPORTED_SUFFIXES, translate_file
from ...languages import language_name
from ...pipeline import Pipeline
from ...request import AUTO
from ...request import Request as MtsumRequest
from ..tempfiles import TempFiles
from .guard import Guard, RestError, error_response
from .wire import (
    GLOSSARY_HELP,
    PROFILE_HELP,
    FrontendSettingsResponse,
    TranslateFileRequest,
    TranslateFileResponse,
)

__all__ = ["DOWNLOAD_PREFIX", "FILE_PATHS", "add_file_routes"]

FILE_PATHS = frozenset({"/translate_file", "/frontend/settings"})
DOWNLOAD_PREFIX = "/download_file/"
# What LibreTranslate's page waits for a translation before it gives up, in milliseconds.
_FRONTEND_TIMEOUT_MS = 500
_FILE_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "target"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "source": {"type": "string", "default": "auto"},
                        "target": {"type": "string"},
                        "api_key": {"type": "string"},
                        "glossary": {"type": "string", "description": GLOSSARY_HELP},
                        "profile": {"type": "string", "description": PROFILE_HELP},
                    },
                }
            }
        },
    }
}


def add_file_routes(
    router: APIRouter,
    pipeline: Pipeline,
    guard: Guard,
    errors: dict[int | str, dict[str, Any]],
    store: TempFiles | None = None,
) -> TempFiles:
    """Add the file routes to ``router``; returns the store that keeps the translated files."""
    files = store or TempFiles()

    @router.post(
        "/translate_file",
        summary="Translate a document into the same format (LibreTranslate's /translate_file)",
        responses={200: {"model": TranslateFileResponse}, **errors},
        openapi_extra=_FILE_FORM,
    )
    async def translate_file_route(request: Request) -> Response:
        def work(req: TranslateFileRequest) -> dict[str, Any]:
            wanted = MtsumRequest(
                target=req.target, source=req.source, glossary=req.terms(),
                profile=req.profile or None,
            )  # fmt: skip
            translated = translate_file(pipeline, req.file.data, req.file.name, wanted)
            try:
                file_id = files.put(translated.data, translated.name, translated.media_type).id
            except ValueError as exc:
                raise RestError(413, f"the translated file is too large to keep: {exc}") from None
            url = str(request.url_for("download_file", file_id=file_id))
            body: dict[str, Any] = {"translatedFileUrl": url}
            if translated.warnings:
                body["warnings"] = list(translated.warnings)
            return body

        return await guard.handle(request, TranslateFileRequest, work, files=True)

    @router.get(
        DOWNLOAD_PREFIX + "{file_id:path}",
        name="download_file",
        summary="Download a translated file (kept for a few minutes)",
        responses={200: {"content": {"application/octet-stream": {}}}, 404: errors[400]},
    )
    def download_file(file_id: str) -> Response:
        stored = files.get(file_id)
        if stored is None:
            return error_response(
                404, "no such file: it was never made here, or it expired; translate it again"
            )
        return FileResponse(stored.path, media_type=stored.media_type, filename=stored.name)

    @router.get(
        "/frontend/settings",
        summary="LibreTranslate's settings: limits, keys, file translation",
        responses={200: {"model": FrontendSettingsResponse}},
    )
    def frontend_settings() -> Response:
        return JSONResponse(_settings(pipeline, bool(guard.access.keys)))

    return files


def _settings(pipeline: Pipeline, keys: bool) -> dict[str, Any]:
    return {
        "charLimit": pipeline.settings.max_chars,
        "frontendTimeout": _FRONTEND_TIMEOUT_MS,
        "apiKeys": keys,
        "keyRequired": keys,
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": list(SUPPORTED_SUFFIXES),
        "language": {
            "source": {"code": AUTO, "name": "Auto Detect"},
            "target": {"code": "en", "name": language_name("en")},
        },
    }
