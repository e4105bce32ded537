"""Renders the tutorial series: each `NN_*.py` tutobook becomes an executed
notebook (`ipynb/`), a Markdown page with its figures (`md/`), and a line
and a figure in the index (`README.md`).

```shell
python tutorials/render.py                # every tutorial
python tutorials/render.py 03_variational_autoencoder.py
python tutorials/render.py --check        # are the rendered files current?
```

The `.py` file is the only source; the rendered files are never edited by
hand. Notebooks are executed at smoke size (`KERAS_AEGAN_TUTORIAL_SMOKE=1`)
with `nbclient`, so that their figures are embedded; the Markdown pages
come from the executed notebooks through `nbconvert`. Each rendered file
records the sha256 of the source it came from, and `--check` compares it
with the source on disk (outputs such as timings differ from run to run,
so the check does not re-execute anything).

The header follows keras.io's tutobook rules: `Title`, `Author`,
`Date created`, `Last modified`, `Description` and `Accelerator`, in this
order; dates as `YYYY/MM/DD`; a description of at most 100 characters
that ends with a period; an accelerator among `GPU`, `TPU` and `None`.
"""

import argparse
import ast
import datetime
import hashlib
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER_FIELDS = (
    "Title",
    "Author",
    "Date created",
    "Last modified",
    "Description",
    "Accelerator",
)
ACCELERATORS = ("GPU", "TPU", "None")
MAX_DESCRIPTION = 100
SMOKE_ENV = "KERAS_AEGAN_TUTORIAL_SMOKE"
# Where a rendered file keeps the sha256 of its source.
SHA_KEY = "keras_aegan_source_sha256"
INDEX_START = "<!-- The list below is written by render.py. -->"


class TutorialFormatError(ValueError):
    """A tutorial that breaks the tutobook format."""


def tutorials(directory=HERE):
    """The series' sources, in order: `NN_slug.py`."""
    return sorted(directory.glob("[0-9][0-9]_*.py"))


def source_sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def parse_header(text, name="tutorial"):
    """The header fields of a tutobook's first docstring, validated."""
    lines = [line.strip() for line in text.strip().splitlines()]
    fields = {}
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep or not value.strip():
            raise TutorialFormatError(
                f"{name}: expected header lines of the form 'Field: value'. "
                f"Received {line!r}."
            )
        fields[key.strip()] = value.strip()
    if tuple(fields) != HEADER_FIELDS:
        raise TutorialFormatError(
            f"{name}: expected the header fields {list(HEADER_FIELDS)}, in "
            f"this order. Received {list(fields)}."
        )
    dates = {}
    for key in ("Date created", "Last modified"):
        try:
            dates[key] = datetime.datetime.strptime(fields[key], "%Y/%m/%d")
        except ValueError:
            raise TutorialFormatError(
                f"{name}: expected '{key}' as YYYY/MM/DD. Received "
                f"{fields[key]!r}."
            ) from None
    if dates["Last modified"] < dates["Date created"]:
        raise TutorialFormatError(
            f"{name}: 'Last modified' ({fields['Last modified']}) is before "
            f"'Date created' ({fields['Date created']})."
        )
    description = fields["Description"]
    if len(description) > MAX_DESCRIPTION or not description.endswith("."):
        raise TutorialFormatError(
            f"{name}: expected a Description of at most {MAX_DESCRIPTION} "
            f"characters that ends with a period. Received "
            f"{len(description)} characters: {description!r}."
        )
    if fields["Accelerator"] not in ACCELERATORS:
        raise TutorialFormatError(
            f"{name}: expected an Accelerator among {list(ACCELERATORS)}. "
            f"Received {fields['Accelerator']!r}."
        )
    return fields


def parse(path):
    """`(header, cells)` of a tutobook: its first docstring is the header;
    every other module-level string statement is a Markdown cell, and the
    code between two of them one code cell."""
    path = Path(path)
    text = path.read_text()
    lines = text.splitlines()
    tree = ast.parse(text, filename=str(path))
    blocks = [
        node
        for node in tree.body
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]
    if not blocks or blocks[0] is not tree.body[0]:
        raise TutorialFormatError(
            f"{path.name}: expected the header docstring as the first "
            "statement."
        )
    header = parse_header(blocks[0].value.value, path.name)
    cells = []
    position = blocks[0].end_lineno
    for block in [*blocks[1:], None]:
        end = block.lineno - 1 if block else len(lines)
        code = "\n".join(lines[position:end]).strip("\n")
        if code.strip():
            cells.append(("code", code))
        if block is not None:
            cells.append(("markdown", _dedent_prose(block.value.value)))
            position = block.end_lineno
    if not any(kind == "code" for kind, _ in cells):
        raise TutorialFormatError(f"{path.name}: no code cell.")
    first_code = next(source for kind, source in cells if kind == "code")
    if "KERAS_BACKEND" not in first_code:
        raise TutorialFormatError(
            f"{path.name}: expected the first code cell to set "
            "KERAS_BACKEND before Keras is imported."
        )
    return header, cells


def _dedent_prose(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def build_notebook(path):
    import nbformat

    header, cells = parse(path)
    notebook = nbformat.v4.new_notebook()
    intro = (
        f"# {header['Title']}\n\n"
        f"**Author:** {header['Author']}<br>\n"
        f"**Date created:** {header['Date created']}<br>\n"
        f"**Last modified:** {header['Last modified']}<br>\n"
        f"**Description:** {header['Description']}"
    )
    notebook.cells.append(nbformat.v4.new_markdown_cell(intro))
    for kind, source in cells:
        make = (
            nbformat.v4.new_code_cell
            if kind == "code"
            else nbformat.v4.new_markdown_cell
        )
        notebook.cells.append(make(source))
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata[SHA_KEY] = source_sha256(path)
    notebook.metadata["keras_aegan_smoke_size"] = True
    return header, notebook


def execute(notebook, timeout=600):
    """Runs the notebook at smoke size, in this directory's parent (the
    repository), with the shared data folder when there is one."""
    import nbclient

    env = {
        SMOKE_ENV: "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    data = HERE.parent.parent / "shared" / "data"
    if "KERAS_AEGAN_DATA_DIR" not in os.environ and data.is_dir():
        env["KERAS_AEGAN_DATA_DIR"] = str(data)
    # The notebook shows the backend the tutorial chooses itself.
    saved = {key: os.environ.get(key) for key in [*env, "KERAS_BACKEND"]}
    os.environ.update(env)
    os.environ.pop("KERAS_BACKEND", None)
    try:
        client = nbclient.NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(HERE.parent)}},
        )
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


def write_markdown(notebook, stem, directory):
    from nbconvert import MarkdownExporter

    files_dir = f"{stem}_files"
    body, resources = MarkdownExporter().from_notebook_node(
        notebook, resources={"output_files_dir": files_dir}
    )
    target = directory / files_dir
    if target.is_dir():
        for old in target.iterdir():
            old.unlink()
    figures = []
    outputs = resources.get("outputs", {})
    for name in sorted(outputs, key=_output_position):
        data = outputs[name]
        out = directory / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        figures.append(name)
    sha = notebook.metadata[SHA_KEY]
    (directory / f"{stem}.md").write_text(
        f"<!-- Rendered from tutorials/{stem}.py ({SHA_KEY} {sha}) by "
        f"tutorials/render.py; do not edit. -->\n\n{_strip_ansi(body)}"
    )
    # The last figure a tutorial shows is its picture in the index.
    figures = [f for f in figures if f.endswith(".png")]
    return figures[-1] if figures else None


def _output_position(name):
    """`(cell, output)` of nbconvert's `output_<cell>_<output>.png`."""
    return tuple(int(n) for n in re.findall(r"\d+", Path(name).name))


def _strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def render(path):
    import nbformat

    path = Path(path)
    header, notebook = build_notebook(path)
    print(f"Executing {path.name} at smoke size ...", flush=True)
    execute(notebook)
    (HERE / "ipynb").mkdir(exist_ok=True)
    (HERE / "md").mkdir(exist_ok=True)
    nbformat.write(notebook, HERE / "ipynb" / f"{path.stem}.ipynb")
    figure = write_markdown(notebook, path.stem, HERE / "md")
    return header, figure


def last_figure(stem):
    """The index figure of a rendered tutorial, from its Markdown page."""
    page = HERE / "md" / f"{stem}.md"
    if not page.exists():
        return None
    found = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", page.read_text())
    return found[-1] if found else None


def write_index():
    entries = []
    for number, path in enumerate(tutorials(), start=1):
        header, _ = parse(path)
        figure = last_figure(path.stem)
        entries.append(
            f"{number}. **[{header['Title']}](md/{path.stem}.md)** "
            f"([notebook](ipynb/{path.stem}.ipynb), [source]({path.name})): "
            f"{header['Description']}"
        )
        if figure:
            entries.append(f"\n   ![{header['Title']}](md/{figure})\n")
    index = HERE / "README.md"
    text = index.read_text() if index.exists() else ""
    head = text.split(INDEX_START)[0].rstrip() if INDEX_START in text else text
    index.write_text(f"{head}\n\n{INDEX_START}\n\n" + "\n".join(entries) + "\n")


def stale():
    """What is out of date: `[(tutorial, reason)]`; empty when all is."""
    import nbformat

    problems = []
    index = (
        (HERE / "README.md").read_text()
        if (HERE / "README.md").exists()
        else ""
    )
    for path in tutorials():
        try:
            parse(path)
        except TutorialFormatError as error:
            problems.append((path.name, str(error)))
            continue
        sha = source_sha256(path)
        notebook_path = HERE / "ipynb" / f"{path.stem}.ipynb"
        page = HERE / "md" / f"{path.stem}.md"
        if not notebook_path.exists():
            problems.append((path.name, f"{notebook_path} is missing"))
        elif nbformat.read(notebook_path, 4).metadata.get(SHA_KEY) != sha:
            problems.append((path.name, f"{notebook_path.name} is stale"))
        if not page.exists():
            problems.append((path.name, f"{page} is missing"))
        elif f"{SHA_KEY} {sha}" not in page.read_text().splitlines()[0]:
            problems.append((path.name, f"{page.name} is stale"))
        if f"(md/{path.stem}.md)" not in index:
            problems.append((path.name, "not listed in tutorials/README.md"))
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="tutorials to render")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if a rendered file is missing or older than its source",
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for name, reason in problems:
            print(f"{name}: {reason}")
        if problems:
            print("Run `python tutorials/render.py` and commit the result.")
        return 1 if problems else 0
    paths = [HERE / n for n in args.names] if args.names else tutorials()
    for path in paths:
        render(path)
    write_index()
    return 0


if __name__ == "__main__":
    sys.exit(main())
