"""Untrusted requests pick languages and methods, never code, models, paths or files.

Through every face (API, CLI, Gradio, REST), paths and hub ids in any parameter are refused
with a 400-class answer and nothing loads; no model is ever loaded with remote code; uploads
are bounded, checked, read only from Gradio's upload folder and removed; API keys guard the
Gradio API as they guard REST, compared in constant time.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

import mtsum
from mtsum import Pipeline, Settings
from mtsum.cli import main
from mtsum.models import ModelStore, convert_to_safetensors
from mtsum.settings import ServeSettings
from mtsum.web import access, create_app
from tests.support.loaders import RecordingLoader
from tests.support.texts import SAMPLES
from tests.support.webserver import PageError, page_event, serve_in_thread, upload_file

FR = SAMPLES["fr"]
PACKAGE = Path(mtsum.__file__).parent


def hostile(tiny_root: Path) -> list[str]:
    """Values that name files, folders, models or registry entries instead of a language."""
    return [
        "../../etc",
        "/etc/passwd",
        "Helsinki-NLP/opus-mt-fr-en",
        str(tiny_root / "fr-en"),
        "./fr-en",
        "~/models",
        "summarize:en",
        "C:\\Windows\\system32",
    ]


@pytest.fixture(scope="module")
def recorded(settings: Settings) -> Iterator[tuple[RecordingLoader, str]]:
    """A live server whose every model load is recorded."""
    loader = RecordingLoader()
    pipeline = Pipeline(settings, store=ModelStore(settings, loader=loader))
    with serve_in_thread(create_app(pipeline=pipeline)) as url:
        yield loader, url


# ---- requests name languages, never paths or models ----------------------------------------


def test_the_api_refuses_paths_and_hub_ids_and_loads_nothing(
    settings: Settings, tiny_root: Path
) -> None:
    loader = RecordingLoader()
    pipeline = Pipeline(settings, store=ModelStore(settings, loader=loader))
    for value in hostile(tiny_root):
        for options in ({"target": value}, {"source": value}, {"method": value}):
            with pytest.raises(mtsum.InputError):
                pipeline.run(FR, **options)
        with pytest.raises(mtsum.InputError):
            pipeline.translate(FR, target="en", source=value)
        with pytest.raises(mtsum.InputError):
            pipeline.summarize(FR, words=value)  # type: ignore[arg-type]
    assert loader.loads == []


def test_the_cli_refuses_paths_and_hub_ids_and_loads_nothing(
    tiny_root: Path,
    registry_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def no_loading(*args: object) -> None:
        raise AssertionError("a model was loaded")

    monkeypatch.setattr("mtsum.models._transformers_loader", no_loading)
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    article = tmp_path / "article.txt"
    article.write_text(FR, encoding="utf-8")
    for value in hostile(tiny_root)[:4]:
        for option in ("--target", "--source"):
            assert main(["run", str(article), option, value], out=io.StringIO()) == 2
            assert "not a language code" in capsys.readouterr().err


def test_gradio_refuses_paths_and_hub_ids_and_loads_nothing(
    recorded: tuple[RecordingLoader, str], tiny_root: Path
) -> None:
    loader, url = recorded
    client = Client(url, verbose=False)
    for value in hostile(tiny_root):
        for args in ((FR, value, "auto", 0, "extractive"), (FR, "en", value, 0, "extractive")):
            with pytest.raises(AppError, match="not a language code") as caught:
                client.predict(*args, api_name="/run")
            assert caught.value.title == "Please check"
        with pytest.raises(AppError, match="expected one of"):
            client.predict(FR, "en", "fr", 0, value, api_name="/run")
        with pytest.raises(AppError, match="whole number"):
            client.predict(FR, value, "extractive", api_name="/summarize")
        with pytest.raises(AppError, match="not a language code"):
            client.predict(FR, value, "fr", api_name="/translate")
    assert loader.loads == []


def test_rest_refuses_paths_and_hub_ids_and_loads_nothing(
    recorded: tuple[RecordingLoader, str], tiny_root: Path
) -> None:
    loader, url = recorded
    with httpx.Client(base_url=url, timeout=60) as rest:
        for value in hostile(tiny_root):
            requests: list[tuple[str, dict[str, Any]]] = [
                ("/translate", {"q": FR, "target": value}),
                ("/translate", {"q": FR, "source": value, "target": "en"}),
                ("/translate", {"q": FR, "target": "en", "format": value}),
                ("/summarize", {"q": FR, "target": value}),
                ("/summarize", {"q": FR, "source": value}),
                ("/summarize", {"q": FR, "method": value}),
                ("/summarize", {"q": FR, "words": value}),
            ]
            for route, body in requests:
                response = rest.post(route, json=body)
                assert response.status_code == 400, (route, body, response.text)
                assert set(response.json()) == {"error"}
    assert loader.loads == []


# ---- no remote code ------------------------------------------------------------------------


def test_every_from_pretrained_in_the_package_passes_trust_remote_code_false() -> None:
    calls = []
    for source in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "from_pretrained"
            ):
                flags = {k.arg: k.value for k in node.keywords}
                given = flags.get("trust_remote_code")
                assert isinstance(given, ast.Constant) and given.value is False, (
                    f"{source.name}:{node.lineno} calls from_pretrained without "
                    "trust_remote_code=False"
                )
                calls.append(f"{source.name}:{node.lineno}")
    assert len(calls) >= 3  # the engine's tokenizer and model, and the pickle converter


def test_loading_and_converting_never_enable_remote_code(
    settings: Settings, tiny_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import transformers

    from tests.support.tinymodels import save_as_pickle_only

    seen: list[tuple[str, Any]] = []

    def spy(cls_name: str, original: Any) -> Any:
        def from_pretrained(*args: Any, **kwargs: Any) -> Any:
            seen.append((cls_name, kwargs.get("trust_remote_code", "missing")))
            return original(*args, **kwargs)

        return from_pretrained

    for name in ("AutoModelForSeq2SeqLM", "AutoTokenizer"):
        auto = getattr(transformers, name)
        monkeypatch.setattr(auto, "from_pretrained", spy(name, auto.from_pretrained))
    pickled = save_as_pickle_only(tiny_root / "en-fr", tmp_path / "pickled")
    shutil.rmtree(pickled / ".cache", ignore_errors=True)
    seen.clear()  # the test helper's own load is not mtsum's
    Pipeline(settings).translate(FR, target="de", source="fr")  # two models, fresh store
    convert_to_safetensors(pickled)
    assert len(seen) >= 5
    assert all(flag is False for _, flag in seen), seen


# ---- uploads -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_uploads(settings: Settings) -> Iterator[str]:
    """A server whose uploads are limited to 1 MB."""
    app = create_app(pipeline=Pipeline(settings), serving=ServeSettings(max_upload_mb=1))
    with serve_in_thread(app) as url:
        yield url


def _file_data(path: str, name: str) -> dict[str, Any]:
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def test_an_upload_over_the_limit_is_refused_by_the_server(small_uploads: str) -> None:
    with httpx.Client(timeout=60) as http:
        response = upload_file(http, small_uploads, "big.txt", b"a" * (2**20 + 1))
    assert response.status_code == 413
    assert "maximum allowed size" in response.text


def test_an_upload_is_private_and_removed_once_read(small_uploads: str) -> None:
    with httpx.Client(timeout=60) as http:
        (path,) = upload_file(http, small_uploads, "article.txt", FR.encode()).json()
        assert Path(path).stat().st_mode & 0o077 == 0  # readable by the server's user only
        text, *_ = page_event(http, small_uploads, "load_file", [_file_data(path, "article.txt")])
    assert text == FR
    assert not Path(path).exists() and not Path(path).parent.exists()


def test_a_refused_upload_is_removed_too(small_uploads: str) -> None:
    with httpx.Client(timeout=60) as http:
        (path,) = upload_file(http, small_uploads, "data.txt", bytes(range(256)) * 4).json()
        panel = page_event(http, small_uploads, "load_file", [_file_data(path, "data.txt")])[2]
    assert "binary" in panel and "mtsum-panel-error" in panel
    assert not Path(path).exists()


def test_an_upload_name_is_never_used_as_a_path(small_uploads: str) -> None:
    from gradio.utils import get_upload_folder

    folder = Path(get_upload_folder()).resolve()
    outside = [folder.parent / "evil.txt", folder.parent.parent / "evil.txt"]
    with httpx.Client(timeout=60) as http:
        (path,) = upload_file(http, small_uploads, "../../evil.txt", FR.encode()).json()
        assert folder in Path(path).resolve().parents
        _, note, *_ = page_event(http, small_uploads, "load_file", [_file_data(path, "x")])
    assert "evil.txt" in note and "../" not in note
    assert not any(p.exists() for p in outside)


def test_a_request_cannot_make_the_page_read_a_server_file(
    small_uploads: str, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("operator's private notes", encoding="utf-8")
    # Gradio refuses the path itself before the page's handler runs (``app.py``).
    with httpx.Client(timeout=60) as http, pytest.raises(PageError, match="not uploaded") as caught:
        page_event(http, small_uploads, "load_file", [_file_data(str(secret), "x.txt")])
    assert "private notes" not in str(caught.value)
    assert secret.exists()  # and nothing outside the upload folder is deleted either


# ---- API keys for the Gradio API -------------------------------------------------------------


KEYS = ("first-key-123", "second-key-456")


@pytest.fixture(scope="module")
def keyed(settings: Settings) -> Iterator[str]:
    with serve_in_thread(create_app(settings, serving=ServeSettings(api_keys=KEYS))) as url:
        yield url


def test_with_keys_the_gradio_api_needs_a_login(keyed: str) -> None:
    with pytest.raises(Exception, match="credentials"):
        Client(keyed, verbose=False)
    with httpx.Client(base_url=keyed, timeout=30) as http:
        assert http.get("/config").status_code == 401
        assert upload_file(http, keyed, "a.txt", b"Bonjour").status_code == 401
        join = http.post("/gradio_api/queue/join", json={"data": [FR], "fn_index": 5})
        assert join.status_code == 401
        assert http.post("/gradio_api/call/detect", json={"data": [FR]}).status_code == 401


def test_a_wrong_key_cannot_log_in(keyed: str) -> None:
    with pytest.raises(ValueError, match="login"):
        Client(keyed, auth=("editor", "first-key-12"), verbose=False)


@pytest.mark.parametrize("key", KEYS)
def test_any_configured_key_logs_in_under_any_name(keyed: str, key: str) -> None:
    client = Client(keyed, auth=("newsroom", key), verbose=False)
    assert client.predict(FR, api_name="/detect")["language"] == "fr"


def test_with_keys_rest_still_asks_for_its_api_key(keyed: str) -> None:
    with httpx.Client(base_url=keyed, timeout=60) as http:
        assert http.post("/detect", json={"q": FR}).status_code == 403
        assert http.post("/detect", json={"q": FR, "api_key": KEYS[1]}).status_code == 200


def test_keys_are_compared_with_every_key_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = access.hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", counting)
    check = access.key_login(KEYS)
    for password in (KEYS[0], KEYS[1], "nope", ""):
        compared.clear()
        assert check("anyone", password) == (password in KEYS)
        # Every key is compared whatever matched (an empty password is refused before).
        assert len(compared) == (len(KEYS) if password else 0)
