"""The files that make the repository a Hugging Face Space, and the README's opening."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def requirement_name(line: str) -> str:
    return re.split(r"[<>=!~\[; ]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_readme_front_matter_declares_a_gradio_space_running_app_py() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\n")
    front, _, rest = readme[4:].partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in front.splitlines())
    assert fields["sdk"] == "gradio"
    assert fields["app_file"] == "app.py" and (ROOT / "app.py").is_file()
    assert fields["sdk_version"].startswith("6.")
    # Right after the front matter, the README still opens with the two commands.
    opening = rest.lstrip().splitlines()[:5]
    assert opening[0] == "# mtsum"
    assert any(line.startswith("make run") for line in opening)
    assert any(line.startswith("make test") for line in opening)


def test_requirements_cover_every_dependency_of_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {requirement_name(d) for d in project["dependencies"]}
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    listed = {requirement_name(x) for x in lines if x.strip() and not x.startswith("#")}
    assert wanted <= listed, f"missing from requirements.txt: {sorted(wanted - listed)}"
    assert "torch==2.13.0" in lines


def test_readme_screenshot_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/screenshot.png)" in readme
    assert (ROOT / "docs" / "screenshot.png").stat().st_size > 10_000


def test_the_readme_is_a_short_front_door_whose_links_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    for heading in ("## Getting models", "## One example per face", "## Documentation"):
        assert heading in readme
    links = re.findall(r"\]\(((?:docs/)[^)#]+)", readme)
    assert links and all((ROOT / link).is_file() for link in links), links


def test_the_space_installs_the_word_list_that_ci_installs() -> None:
    # A Space installs packages.txt with apt; the detached flag reads what it installs.
    listed = [
        line.strip()
        for line in (ROOT / "packages.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert listed == ["trans-de-en"]
    assert "install -y -qq trans-de-en" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
