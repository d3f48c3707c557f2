"""The layers in docs/architecture.md are enforced by import-linter (`make lint`): the real tree
keeps them, and a copy of it with one import reversed fails."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["cpw", "programmes", "funds", "groundbreakers", "evaluation", "reporting", "api"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _python_only(directory, names):
    return [
        name
        for name in names
        if name == "__pycache__" or not (name.endswith(".py") or (Path(directory) / name).is_dir())
    ]


def test_the_code_keeps_the_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_from_a_higher_layer_breaks_the_contract(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=_python_only)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    models = tmp_path / "programmes" / "models.py"
    models.write_text("import reporting  # noqa: F401\n" + models.read_text())

    result = _lint(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "programmes is not allowed to import reporting" in result.stdout
