"""The tutorial series runs, renders and keeps the tutobook format.

Each tutorial runs as a script at smoke size (`KERAS_AEGAN_TUTORIAL_SMOKE=1`).
Tutorial `i` is assigned the backend `BACKENDS[i % 3]` (two swap, see
`ASSIGNED`) and runs in that backend's pass of the suite, so a CI that
runs the suite once per backend
runs every tutorial once, the backends spread across them. Its two other
backends are marked `slow` and run only with
`KERAS_AEGAN_TUTORIALS_ON_EVERY_BACKEND=1`: then the passes run the whole
series under all three backends, each pair once. `.ci/run` does not set
it: the 24 extra runs (about 280 s) would take CI past its time limit.
"""

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.helpers import BACKEND
from tests.helpers import REPO
from tests.helpers import SHARED_DATA

TUTORIALS_DIR = REPO / "tutorials"
BACKENDS = ("tensorflow", "jax", "torch")
EVERY_BACKEND = "KERAS_AEGAN_TUTORIALS_ON_EVERY_BACKEND"


def _render_module():
    spec = importlib.util.spec_from_file_location(
        "tutorials_render", TUTORIALS_DIR / "render.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = _render_module()
TUTORIALS = render.tutorials(TUTORIALS_DIR)


# Tutorials whose assigned backend is not `BACKENDS[i % 3]`: 11 compiles
# its models three times on JAX (68-76 s at smoke size, measured in CI's
# JAX pass), and 09 takes 14 s on PyTorch, so the two swap.
ASSIGNED = {"09_fine_tune_a_pretrained_generator": "jax", "11_scale": "torch"}


def assigned_backend(path):
    """The backend whose pass runs this tutorial by default."""
    return ASSIGNED.get(path.stem, BACKENDS[TUTORIALS.index(path) % 3])


def _cases():
    for path in TUTORIALS:
        for backend in BACKENDS:
            marks = (
                [] if backend == assigned_backend(path) else [pytest.mark.slow]
            )
            yield pytest.param(
                path, backend, marks=marks, id=f"{path.stem}-{backend}"
            )


def test_the_series_has_its_eleven_topics_and_more():
    assert len(TUTORIALS) >= 11, [p.name for p in TUTORIALS]
    numbers = [int(p.name[:2]) for p in TUTORIALS]
    assert numbers == list(range(1, len(numbers) + 1)), numbers


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.stem)
def test_header_and_cells_follow_the_tutobook_format(path):
    header, cells = render.parse(path)
    assert len(header["Description"]) <= 100
    kinds = [kind for kind, _ in cells]
    assert kinds.count("markdown") >= 3 and kinds.count("code") >= 3
    prose = "\n".join(text for kind, text in cells if kind == "markdown")
    assert "## Introduction" in prose
    assert "plt.show()" in path.read_text(), "shows no figure"


def test_header_validation_names_what_was_expected_and_what_came(tmp_path):
    good = {
        "Title": "T",
        "Author": "A",
        "Date created": "2026/12/06",
        "Last modified": "2026/12/06",
        "Description": "Short.",
        "Accelerator": "None",
    }

    def header(**changes):
        fields = {**good, **changes}
        return "\n".join(f"{k}: {v}" for k, v in fields.items() if v)

    assert render.parse_header(header())["Title"] == "T"
    cases = {
        "at most 100 characters": header(Description="x" * 100 + "."),
        "ends with a period": header(Description="No period"),
        "YYYY/MM/DD": header(**{"Date created": "06-12-2026"}),
        "is before": header(**{"Last modified": "2026/12/05"}),
        "Accelerator among": header(Accelerator="CPU"),
        "in this order": header(Accelerator=""),
    }
    for expected, text in cases.items():
        with pytest.raises(render.TutorialFormatError, match=expected):
            render.parse_header(text)
    source = tmp_path / "01_x.py"
    source.write_text(f'"""\n{header()}\n"""\n\nimport keras\n')
    with pytest.raises(render.TutorialFormatError, match="KERAS_BACKEND"):
        render.parse(source)


def test_rendered_notebooks_pages_and_index_are_current():
    problems = render.stale()
    assert not problems, (
        f"{problems}: run `python tutorials/render.py` and commit the result"
    )


@pytest.mark.parametrize(("path", "backend"), list(_cases()))
def test_tutorial_runs_at_smoke_size(path, backend, tmp_path):
    if BACKEND != backend:
        pytest.skip(f"Runs in the {backend} pass.")
    assigned = assigned_backend(path)
    if backend != assigned and os.environ.get(EVERY_BACKEND) != "1":
        pytest.skip(f"Runs on {assigned}; set {EVERY_BACKEND}=1 for {backend}.")
    env = {
        **os.environ,
        "KERAS_BACKEND": backend,
        render.SMOKE_ENV: "1",
        "MPLBACKEND": "Agg",
    }
    if SHARED_DATA.is_dir():
        env["KERAS_AEGAN_DATA_DIR"] = str(SHARED_DATA)
    # A bound against a hang, far above the smoke runs' measured times.
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{path.name} on {backend} exited {result.returncode}:\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )
    # No tutorial writes into the directory it runs from.
    assert not list(tmp_path.iterdir()), list(tmp_path.iterdir())
