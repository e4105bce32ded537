"""Pretrained presets: folders that load with one call, checked by hash.

A preset is a folder in the layout keras-hub uses:

- `config.json`: the registered class and its config;
- `model.weights.h5`: the weights;
- `metadata.json`: versions, parameter count, date, the data set and the
  recipe it was trained with, the measured metrics, and the sha256 of each
  of the two files above.

`load(reference)` takes a registered name (the presets shipped in the
package load offline), a local folder, a `file://` or `https://` URL of a
preset folder (downloaded once into a cache and reused), or an
`hf://owner/repo` handle when `huggingface_hub` is installed. Every file is
checked against the sha256 in the metadata (and the metadata against the
registry's hash for a registered name) before anything is read, and the
config is deserialized in Keras's safe mode: nothing from a preset runs.
"""

import datetime
import hashlib
import json
import shutil
from pathlib import Path

import keras

from keras_aegan.version import __version__

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.weights.h5"
METADATA_FILE = "metadata.json"
PRESET_FILES = (CONFIG_FILE, WEIGHTS_FILE)
SHIPPED_DIR = Path(__file__).resolve().parent

REGISTRY_FILE = SHIPPED_DIR / "registry.json"

# Registered presets: name -> description and sha256 of its metadata.json,
# which in turn holds the sha256 of the other files. `path` is relative to
# this package for shipped presets; `url` points at a preset folder.
REGISTRY = (
    json.loads(REGISTRY_FILE.read_text()) if REGISTRY_FILE.is_file() else {}
)


def register(
    name, description, metadata_sha256, path=None, url=None, save=False
):
    """Adds a preset to the registry (shipped with `path`, remote `url`).

    With `save=True` the registry file shipped with the package is
    rewritten too (for the zoo's build scripts).
    """
    if (path is None) == (url is None):
        raise ValueError(
            f"Expected exactly one of `path` and `url` for preset {name!r}."
        )
    REGISTRY[name] = {
        "description": description,
        "metadata_sha256": metadata_sha256,
        "path": path,
        "url": url,
    }
    if save:
        REGISTRY_FILE.write_text(json.dumps(REGISTRY, indent=2, sort_keys=True))


def list_presets():
    """Names and descriptions of the registered presets."""
    return {name: entry["description"] for name, entry in REGISTRY.items()}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_to_preset(model, directory, metadata=None):
    """Writes `model` as a preset folder.

    Args:
        model: keras.Model. A registered keras_aegan model.
        directory: str or Path. The folder to write; created if needed.
        metadata: dict or None. Extra metadata: `dataset`, `split`,
            `recipe` (the exact command), `metrics` (with how they were
            measured), `training` (epochs, wall time). Defaults to `None`.

    Returns:
        The folder's `Path`.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = keras.saving.serialize_keras_object(model)
    # A preset holds the architecture and the weights, not the optimizers'
    # state (three times the weights' size with Adam): load it uncompiled.
    config.pop("compile_config", None)
    (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2))
    weights_only = keras.saving.deserialize_keras_object(
        config, safe_mode=False
    )
    weights_only.set_weights(model.get_weights())
    weights_only.save_weights(directory / WEIGHTS_FILE)
    full = {
        "keras_version": keras.__version__,
        "keras_aegan_version": __version__,
        "class_name": type(model).__name__,
        "parameter_count": int(model.count_params()),
        "date": datetime.date.today().isoformat(),
        "backend": keras.backend.backend(),
    }
    full.update(metadata or {})
    full["sha256"] = {name: sha256(directory / name) for name in PRESET_FILES}
    (directory / METADATA_FILE).write_text(json.dumps(full, indent=2))
    return directory


def _check_file(path, expected, fix):
    if not path.is_file():
        raise FileNotFoundError(f"The preset file {path} is missing. {fix}")
    got = sha256(path)
    if got != expected:
        raise ValueError(
            f"The preset file {path} has sha256 {got}, expected {expected}: "
            f"it is corrupted, truncated or was changed. {fix}"
        )


def _download(base_url, cache_subdir):
    """Fetches a preset folder's files into the Keras cache; returns it."""
    base_url = base_url.rstrip("/")
    folder = None
    for name in (METADATA_FILE, *PRESET_FILES):
        path = keras.utils.get_file(
            fname=name,
            origin=f"{base_url}/{name}",
            cache_subdir=cache_subdir,
        )
        folder = Path(path).parent
    return folder


def _from_hub(handle):
    try:
        import huggingface_hub
    except ImportError:
        raise ImportError(
            f"Loading {handle!r} needs `huggingface_hub`: "
            "pip install huggingface_hub"
        ) from None
    repo_id = handle[len("hf://") :]
    return Path(huggingface_hub.snapshot_download(repo_id=repo_id))


def resolve(reference):
    """Finds a preset folder and checks its files; returns the folder.

    Args:
        reference: str or Path. A registered name, a folder, a `file://` or
            `https://` URL of a preset folder, or `hf://owner/repo`.

    Raises:
        ValueError: for an unknown name or a hash mismatch.
        FileNotFoundError: for a missing folder or file.
    """
    reference = str(reference)
    expected_metadata = None
    fix = "Delete it and load the preset again, or save it anew."
    if reference in REGISTRY:
        entry = REGISTRY[reference]
        expected_metadata = entry["metadata_sha256"]
        if entry["path"] is not None:
            folder = SHIPPED_DIR / entry["path"]
            fix = "Reinstall keras_aegan to restore the shipped preset."
        else:
            folder = _download(entry["url"], f"keras_aegan/{reference}")
            fix = (
                f"Delete {folder} so that it is downloaded again from "
                f"{entry['url']}."
            )
    elif reference.startswith(("file://", "https://", "http://")):
        cache = "keras_aegan/" + hashlib.sha256(reference.encode()).hexdigest()
        folder = _download(reference, cache[:40])
        fix = f"Delete {folder} so that it is downloaded again."
    elif reference.startswith("hf://"):
        folder = _from_hub(reference)
    else:
        folder = Path(reference).expanduser()
        if not folder.is_dir():
            names = ", ".join(REGISTRY) or "none registered"
            raise ValueError(
                f"Unknown preset {reference!r}: not a registered name "
                f"({names}), a folder, a file:// or https:// URL, or an "
                "hf:// handle."
            )
    metadata_path = folder / METADATA_FILE
    if not metadata_path.is_file():
        raise FileNotFoundError(
            f"The preset file {metadata_path} is missing: a preset folder "
            f"holds {METADATA_FILE}, {CONFIG_FILE} and {WEIGHTS_FILE}. {fix}"
        )
    if expected_metadata is not None:
        _check_file(metadata_path, expected_metadata, fix)
    metadata = json.loads(metadata_path.read_text())
    hashes = metadata.get("sha256", {})
    for name in PRESET_FILES:
        if name not in hashes:
            raise ValueError(
                f"{metadata_path} gives no sha256 for {name}; refusing to "
                f"load an unchecked file. {fix}"
            )
        _check_file(folder / name, hashes[name], fix)
    return folder


def load(reference, load_weights=True, expected_class=None):
    """Builds a model from a preset.

    Args:
        reference: str or Path. See `resolve`.
        load_weights: bool. Load the pretrained weights; with `False` the
            architecture comes freshly initialized. Defaults to `True`.
        expected_class: class or None. When given, the preset must hold
            this class (or a subclass). Defaults to `None`.

    Returns:
        The model, uncompiled: call `compile()` before `fit()`.
    """
    folder = resolve(reference)
    config = json.loads((folder / CONFIG_FILE).read_text())
    if expected_class is not None:
        registered = keras.saving.get_registered_name(expected_class)
        held = config.get("registered_name") or config.get("class_name")
        if held != registered and not _is_subclass(held, expected_class):
            raise ValueError(
                f"The preset {reference!r} holds a {held}, not a "
                f"{expected_class.__name__}. Load it with "
                f"keras_aegan.presets.load({str(reference)!r}) or the "
                f"from_preset of its own class."
            )
    model = keras.saving.deserialize_keras_object(config, safe_mode=True)
    if load_weights:
        model.load_weights(folder / WEIGHTS_FILE)
    return model


def _is_subclass(registered_name, cls):
    held = keras.saving.get_registered_object(registered_name)
    return held is not None and issubclass(held, cls)


def copy_preset(reference, directory):
    """Copies a checked preset folder to `directory` (e.g. to publish it)."""
    folder = resolve(reference)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in (METADATA_FILE, *PRESET_FILES):
        shutil.copy2(folder / name, directory / name)
    return directory


# `keras_aegan.presets.list()`, as keras-hub users expect. Defined last:
# nothing in this module calls the builtin `list` after this line.
list = list_presets  # noqa: A001
