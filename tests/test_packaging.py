"""``pip install .`` ships the templates, static files, migrations and the demo's content
files with the package.

The wheel is built from this checkout and installed into a fresh virtual environment
that borrows the dependencies of the running one, so no network is needed. The installed
app then serves the sign-in page and its CSS from site-packages, not from the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from storyboard.demo import content
from storyboard.demo.generator import build_plan

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

# Runs inside the fresh environment, with the working directory outside the repository.
PROBE = """
import json, sys
from pathlib import Path

import storyboard
from storyboard import create_app
from storyboard.db import upgrade_database
from storyboard.demo import content
from storyboard.demo.generator import build_plan

instance = Path(sys.argv[1])
app = create_app({"INSTANCE_PATH": str(instance), "SECURE_COOKIES": False})
with app.app_context():
    upgrade_database()
client = app.test_client()
login = client.get("/auth/login")
css = client.get("/static/css/storyboard.css")
print(json.dumps({
    "package": storyboard.__file__,
    "template_folder": str(Path(app.root_path, app.template_folder).resolve()),
    "static_folder": str(Path(app.static_folder).resolve()),
    "login_status": login.status_code,
    "login_html": login.get_data(as_text=True),
    "css_status": css.status_code,
    "css_type": css.mimetype,
    "css": css.get_data(as_text=True),
    "database": (instance / "storyboard.db").is_file(),
    "demo_content": str(Path(content.__file__).parent.resolve()),
    "demo_stories": [story.title for story in build_plan().stories],
}))
"""


def _run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=180, **kwargs
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STORYBOARD_", "PYTHON", "PIP_", "VIRTUAL_ENV"))
    }
    env.update(extra)
    return env


def test_installed_wheel_serves_templates_and_css(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--quiet",
        "-w",
        wheels,
        REPO,
        env=_clean_env(),
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("storyboard-*.whl")

    # A fresh venv without pip (fast); the running environment's pip installs into it.
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(target)
    python = target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    site_packages = Path(purelib.stdout.strip())
    # Dependencies come from the running environment, appended after the venv's own
    # site-packages. Only those folders: .pth files there (such as an editable install
    # of this repository) are not processed, so `storyboard` can only be the wheel's.
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--quiet",
        wheel,
        env=_clean_env(),
        cwd=tmp_path,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = _run(
        python, "-W", "error", "-c", PROBE, elsewhere / "instance", env=_clean_env(), cwd=elsewhere
    )
    report = json.loads(probe.stdout)

    installed = site_packages.resolve() / "storyboard"
    assert Path(report["package"]).resolve() == installed / "__init__.py"
    # The compiled catalogs ship: nothing is compiled at run time.
    for locale in ("nl", "en"):
        assert (installed / "translations" / locale / "LC_MESSAGES" / "messages.mo").is_file()
    assert Path(report["template_folder"]) == installed / "templates"
    assert Path(report["static_folder"]) == installed / "static"
    assert REPO not in Path(report["template_folder"]).parents

    assert report["login_status"] == 200
    assert "/static/css/storyboard.css" in report["login_html"]
    assert report["css_status"] == 200
    assert report["css_type"] == "text/css"
    assert report["css"] == (REPO / "static/css/storyboard.css").read_text(encoding="utf-8")
    assert report["database"], "migrations did not run from the installed package"

    # The demo's prose is data next to its loader; the installed package plans the same
    # stories as this checkout.
    assert Path(report["demo_content"]) == installed / "demo" / "content"
    shipped = {path.name for path in (installed / "demo" / "content").glob("*.toml")}
    assert shipped == {f"{name}.toml" for name in content.SOURCES}
    assert report["demo_stories"] == [story.title for story in build_plan().stories]

    # The console script is installed too.
    script = target / ("Scripts/storyboard.exe" if os.name == "nt" else "bin/storyboard")
    assert "Usage" in _run(script, "--help", env=_clean_env(), cwd=elsewhere).stdout
