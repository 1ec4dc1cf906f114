"""The wire format of the REST API, as pydantic models: LibreTranslate's fields, names and types.

These models validate the parameters of a request (after they were read from a JSON body, a form
or the query string) and describe requests and responses in the OpenAPI schema at
``/openapi.json``. Field names follow LibreTranslate exactly (``translatedText``,
``detectedLanguage``), hence the camelCase. Request fields have no ``null`` in their schema: a
form cannot send one, and every optional field has a plain default instead.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from .guard import Upload

__all__ = [
    "GLOSSARY_HELP",
    "PROFILE_HELP",
    "DetectRequest",
    "DetectResponse",
    "DetectedLanguage",
    "ErrorResponse",
    "FrontendSettingsResponse",
    "GlossariesResponse",
    "HealthResponse",
    "Language",
    "LanguagesResponse",
    "SentenceFlag",
    "SummarizeRequest",
    "SummarizeResponse",
    "TranslateFileRequest",
    "TranslateFileResponse",
    "TranslateRequest",
    "TranslateResponse",
]

_Q = "Text to work on; for /translate also a list of texts, each handled on its own."
_API_KEY = "API key; required when the server sets MTSUM_API_KEYS."
_SOURCE = 'Source language (ISO 639-1 code), or "auto" to detect it.'
_STREAM = (
    "true: answer with server-sent events, one paragraph event per paragraph as it is done, "
    "then a done event with the body the plain call returns (also on Accept: text/event-stream)."
)
_URL = (
    "mtsum extension: a link to a news article, instead of q; the article's main text is "
    "fetched and used as q. Only where the server's operator allows links."
)
_PROFILE = (
    "mtsum extension: best (the best-scoring published models, the default unless the server "
    "sets MTSUM_PROFILE) or fast (smaller models where there is one); LibreTranslate clients "
    "leave it out."
)
PROFILE_HELP = _PROFILE
_Text = Annotated[str, Field(min_length=1)]
_Texts = Annotated[list[str], Field(min_length=1)]


class _Request(BaseModel):
    # LibreTranslate clients may send fields mtsum does not use (``secret``, ``char_limit``):
    # they are ignored rather than refused.
    model_config = ConfigDict(extra="ignore")


GLOSSARY_HELP = (
    'mtsum extension: terms to translate one fixed way, {"source term": "target term"} (a JSON '
    "object, also as a form field; a source ending in * is a stem), or the id of one of the "
    "operator's glossaries (GET /glossaries)."
)


class _Terms(_Request):
    glossary: dict[str, str] | str = Field("", description=GLOSSARY_HELP)

    @field_validator("glossary", mode="before")
    @classmethod
    def _object_in_a_string(cls, value: Any) -> Any:
        # A form field can only be a string: a JSON object in it is read as the pairs.
        if isinstance(value, str) and value.strip().startswith("{"):
            try:
                return json.loads(value)
            except ValueError:
                raise ValueError("glossary is not a valid JSON object of term pairs") from None
        return value

    def terms(self) -> dict[str, str] | str | None:
        """The glossary for ``Request.glossary``: pairs, an id, or None when not given."""
        if isinstance(self.glossary, str):
            return self.glossary.strip() or None
        return self.glossary


class TranslateRequest(_Terms):
    """``POST /translate``."""

    # q may be left out only when url is given (the route says "missing q parameter" else).
    q: _Text | _Texts = Field("", description=_Q, examples=["Bonjour tout le monde."])
    url: str = Field("", description=_URL)
    source: str = Field("auto", description=_SOURCE, examples=["auto"])
    target: str = Field(description="Target language (ISO 639-1 code).", examples=["en"])
    format: Literal["text", "html"] = Field(
        "text", description="text: plain text; html: markup is kept, only its text translated."
    )
    alternatives: int = Field(
        0, ge=0, description="Alternative translations wanted; mtsum returns none (empty lists)."
    )
    api_key: str = Field("", description=_API_KEY)
    stream: bool = Field(
        False, description=_STREAM + " q must be one text in format text, or a url."
    )
    profile: str = Field("", description=_PROFILE, examples=["fast"])


class DetectRequest(_Request):
    """``POST /detect``."""

    q: _Text | _Texts = Field(
        description="Text whose language to detect (a list is detected as one text).",
        examples=["Guten Morgen, wie geht es Ihnen?"],
    )
    api_key: str = Field("", description=_API_KEY)


class SummarizeRequest(_Request):
    """``POST /summarize`` (an mtsum extension)."""

    q: _Text = Field(
        "", description="Text to summarise.", examples=["Le conseil municipal a voté..."]
    )
    url: str = Field("", description=_URL)
    source: str = Field("auto", description=_SOURCE)
    target: str = Field("en", description="Language of the translation and the summary.")
    words: int = Field(0, ge=0, description="Summary length in words; 0 for automatic.")
    method: Literal["abstractive", "extractive"] = Field(
        "abstractive", description="abstractive (a model writes it) or extractive (sentences)."
    )
    api_key: str = Field("", description=_API_KEY)
    stream: bool = Field(False, description=_STREAM)
    profile: str = Field("", description=_PROFILE, examples=["fast"])


class TranslateFileRequest(_Terms):
    """``POST /translate_file`` (multipart form data; described by hand in the schema)."""

    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)

    file: Upload
    source: str = "auto"
    target: str
    api_key: str = ""
    profile: str = Field("", description=_PROFILE)


class DetectedLanguage(BaseModel):
    """A language with the detector's confidence in percent."""

    confidence: float = Field(ge=0, le=100, description="Confidence, 0 to 100.")
    language: str = Field(description="ISO 639-1 code.")


class SentenceFlag(BaseModel):
    """A reason to doubt one sentence of the output."""

    sentence: int = Field(ge=0, description="0-based index of the sentence.")
    kind: str = Field(
        description="repetition, untranslated, wrong_language, length, numbers, detached, "
        "low_confidence, term; "
        "for a summary unsupported_number, unsupported_name, unsupported_word."
    )
    detail: str


class TranslateResponse(BaseModel):
    """Lists (one entry per item of ``q``) when ``q`` was a list, single values otherwise."""

    translatedText: str | list[str]  # LibreTranslate's field names are camelCase
    detectedLanguage: DetectedLanguage | list[DetectedLanguage] | None = Field(
        None, description='Only when source was "auto".'
    )
    alternatives: list[str] | list[list[str]] | None = Field(
        None, description="Only when alternatives > 0; always empty in mtsum."
    )
    warnings: list[str] | list[list[str]] | None = Field(
        None, description="mtsum extension, only when something was degraded or guessed."
    )
    flags: list[SentenceFlag] | list[list[SentenceFlag]] | None = Field(
        None,
        description="mtsum extension, only when a sentence of the translation looks wrong "
        "(a list per item when q was a list).",
    )
    source_url: str | None = Field(None, description="mtsum extension: the url, when given.")
    title: str | None = Field(None, description="mtsum extension: the article's title (url).")


class TranslateFileResponse(BaseModel):
    """Where to download the translated file, and what happened on the way."""

    translatedFileUrl: str = Field(description="GET it to download the translated file.")
    warnings: list[str] | None = Field(None, description="mtsum extension, when any.")


class _CodeName(BaseModel):
    code: str
    name: str


class _DefaultLanguages(BaseModel):
    source: _CodeName
    target: _CodeName


class FrontendSettingsResponse(BaseModel):
    """LibreTranslate's settings object, as its clients and its web page read it."""

    charLimit: int = Field(description="Longest text accepted, in characters.")
    frontendTimeout: int
    apiKeys: bool
    keyRequired: bool
    suggestions: bool
    filesTranslation: bool
    supportedFilesFormat: list[str] = Field(description="File suffixes /translate_file takes.")
    language: _DefaultLanguages


class DetectResponse(RootModel[list[DetectedLanguage]]):
    """Candidate languages, best first."""


class Language(BaseModel):
    """A language mtsum can translate from, and the languages it can translate it into."""

    code: str
    name: str
    targets: list[str]


class LanguagesResponse(RootModel[list[Language]]):
    """Every language of the model registry."""


class SummarizeResponse(BaseModel):
    """The summary and the translation, both in ``target``."""

    summary: str
    translatedText: str
    detectedLanguage: DetectedLanguage
    sources: list[list[int]] = Field(
        description="Per summary sentence, the indices of the text's sentences that support it."
    )
    flags: list[SentenceFlag] = Field(
        description="Numbers and names of the summary found nowhere in the text."
    )
    warnings: list[str]
    source_url: str | None = Field(None, description="mtsum extension: the url, when given.")
    title: str | None = Field(None, description="mtsum extension: the article's title (url).")


class Glossary(BaseModel):
    """One of the operator's named glossaries (its entries are not shown)."""

    id: str = Field(description="What a request's glossary field names.")
    source: str
    target: str
    entries: int


class GlossariesResponse(RootModel[list[Glossary]]):
    """The operator's glossaries, one per id and language pair (mtsum extension)."""


class HealthResponse(BaseModel):
    """For load balancers and orchestrators."""

    status: Literal["ok"]
    models: list[str] = Field(description="Registry names of the models loaded in memory.")


class ErrorResponse(BaseModel):
    """Every error: a message that says what was wrong and what to do."""

    error: str
