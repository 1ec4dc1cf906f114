"""LibreTranslate's file routes: ``/translate_file``, ``/download_file/<id>``, and the settings.

A document is translated by the same core as the CLI's ``-o`` (``mtsum.documents``) and kept
in a ``TempFiles`` store until its download; the answer is LibreTranslate's ``translatedFileUrl``.
Bad input (an unsupported type, an unreadable or hostile file, a bad language) is a 400, a
file over the upload limit or a text over the character limit a 413: never a 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, JSONResponse, Response

from ...documents import SUPPORTED_SUFFIXES, translate_file
from ...languages import language_name
from ...pipeline import Pipeline
from ...request import AUTO
from ...request import Request as MtsumRequest
from .guard import RestError, error_response
from .routing import ERRORS, FilesDep, GuardDep, PipelineDep, Route
from .wire import (
    GLOSSARY_HELP,
    PROFILE_HELP,
    FrontendSettingsResponse,
    TranslateFileRequest,
    TranslateFileResponse,
)

__all__ = ["DOWNLOAD_PREFIX", "FILE_PATHS", "FILE_ROUTES"]

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


async def translate_file_route(
    request: Request, pipeline: PipelineDep, guard: GuardDep, files: FilesDep
) -> Response:
    """``POST /translate_file``: a document translated, kept for its download."""

    def work(req: TranslateFileRequest) -> dict[str, Any]:
        wanted = MtsumRequest(
            target=req.target, source=req.source, glossary=req.terms(), profile=req.profile or None
        )
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


def download_file(file_id: str, files: FilesDep) -> Response:
    """``GET /download_file/<id>``: a translated file, once made here and not yet expired."""
    stored = files.get(file_id)
    if stored is None:
        return error_response(
            404, "no such file: it was never made here, or it expired; translate it again"
        )
    return FileResponse(stored.path, media_type=stored.media_type, filename=stored.name)


def frontend_settings(pipeline: PipelineDep, guard: GuardDep) -> Response:
    """``GET /frontend/settings``: LibreTranslate's settings object."""
    return JSONResponse(_settings(pipeline, bool(guard.access.keys)))


FILE_ROUTES = (
    Route(
        "/translate_file",
        "POST",
        translate_file_route,
        "Translate a document into the same format (LibreTranslate's /translate_file)",
        TranslateFileResponse,
        extra=_FILE_FORM,
    ),
    Route(
        DOWNLOAD_PREFIX + "{file_id:path}",
        "GET",
        download_file,
        "Download a translated file (kept for a few minutes)",
        name="download_file",
        errors=(),
        responses={200: {"content": {"application/octet-stream": {}}}, 404: ERRORS[400]},
    ),
    Route(
        "/frontend/settings",
        "GET",
        frontend_settings,
        "LibreTranslate's settings: limits, keys, file translation",
        FrontendSettingsResponse,
        errors=(),
    ),
)
"""The file routes, listed by ``rest_router`` with the others."""


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
