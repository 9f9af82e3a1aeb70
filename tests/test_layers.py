"""The layers of the house are enforced: import-linter's contracts (pyproject.toml) pass on
the code as it is, and fail as soon as a lower app imports a higher one."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["birgemiz", "volunteers", "courses", "assessments", "surveys", "reporting", "demo"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed"),
]


def _lint(where):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_of_the_house(tmp_path):
    ignore = shutil.ignore_patterns("__pycache__", "*.mo", "*.po", "*.ttf", "static", "data")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_it_passes_on_the_code_as_it_is():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, wrong_import, broken",
    [
        ("courses/selectors.py", "import assessments.models", "Apps in layers"),
        ("volunteers/models.py", "from courses import models as _courses", "Apps in layers"),
        ("birgemiz/access.py", "import volunteers.models", "The core imports no domain app"),
        ("surveys/views.py", "import reporting.models", "Nothing imports reporting"),
    ],
)
def test_it_fails_on_an_import_that_points_up(tmp_path, module, wrong_import, broken):
    house = _copy_of_the_house(tmp_path)
    path = house / module
    path.write_text(path.read_text() + f"\n{wrong_import}  # deliberately wrong\n")
    result = _lint(house)
    assert result.returncode != 0
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout
