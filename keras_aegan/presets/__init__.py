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

import builtins
import copy
import datetime
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import keras
import numpy as np

from keras_aegan.version import __version__

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.weights.h5"
METADATA_FILE = "metadata.json"
PRESET_FILES = (CONFIG_FILE, WEIGHTS_FILE)
SHIPPED_DIR = Path(__file__).resolve().parent

# Registered presets: name -> description, sha256 of its metadata.json
# (which in turn holds the sha256 of the other files), `path` (relative to
# this package, for shipped presets) or `url` (a preset folder), and the
# registered name of the class (or loader) that the preset holds. Filled by
# `register_presets` from the `*_presets.py` declarations beside each
# class, when its package is imported (as keras-hub does).
REGISTRY = {}
# A declaration's name and metadata_sha256 in a `*_presets.py` file.
_DECLARATION = re.compile(
    r'(?P<head>"(?P<name>[a-z0-9_]+)": \{(?:(?!"[a-z0-9_]+": \{).)*?'
    r'"metadata_sha256": \(\s*)"(?P<sha>[0-9a-f]{64})"',
    re.DOTALL,
)


def _owner_name(owner):
    if isinstance(owner, str):
        return owner
    return keras.saving.get_registered_name(owner)


def register_presets(declarations, owner):
    """Registers the presets declared in a `*_presets.py` module.

    Args:
        declarations: dict. Preset name to `description`,
            `metadata_sha256` and exactly one of `path` (a folder of this
            package) and `url`.
        owner: class or str. The class the presets hold, or the name of
            the loader of presets that are not a keras_aegan class (the
            domain classifiers').
    """
    for name, declaration in declarations.items():
        path = declaration.get("path")
        url = declaration.get("url")
        if (path is None) == (url is None):
            raise ValueError(
                f"Expected exactly one of `path` and `url` for preset "
                f"{name!r}. Received {declaration!r}."
            )
        REGISTRY[name] = {
            "description": declaration["description"],
            "metadata_sha256": declaration["metadata_sha256"],
            "path": path,
            "url": url,
            "owner": _owner_name(owner),
        }


def presets_of(owner):
    """The names of the registered presets that hold `owner` (a class,
    with its subclasses, or a loader's name)."""
    if isinstance(owner, str):
        return [n for n, e in REGISTRY.items() if e["owner"] == owner]
    names = []
    for name, entry in REGISTRY.items():
        held = keras.saving.get_registered_object(entry["owner"])
        if isinstance(held, type) and issubclass(held, owner):
            names.append(name)
    return names


def declaration_file(name):
    """The `*_presets.py` file that declares the preset `name`."""
    found = [
        path
        for path in SHIPPED_DIR.parent.rglob("*_presets.py")
        if any(
            m["name"] == name for m in _DECLARATION.finditer(path.read_text())
        )
    ]
    if len(found) != 1:
        raise ValueError(
            f"Expected the preset {name!r} declared in one *_presets.py file "
            f"beside its class. Found it in {len(found)}: "
            f"{[str(p) for p in found]}; declare it first."
        )
    return found[0]


def register(name, metadata_sha256, save=False):
    """Records the sha256 of a rebuilt preset's metadata.

    For the zoo's build scripts: the preset must be declared in a
    `*_presets.py` file already. With `save=True` its `metadata_sha256`
    is rewritten there too, so the declaration stays the one source of
    the registry.

    Args:
        name: str. A declared preset.
        metadata_sha256: str. The sha256 of its new `metadata.json`.
        save: bool. Rewrite the declaration. Defaults to `False`.
    """
    if name not in REGISTRY:
        raise ValueError(
            f"Expected a declared preset. Received {name!r}; declare it in "
            "the *_presets.py file beside its class first."
        )
    REGISTRY[name]["metadata_sha256"] = metadata_sha256
    if save:
        path = declaration_file(name)
        path.write_text(
            with_metadata_sha256(path.read_text(), name, metadata_sha256)
        )


def with_metadata_sha256(text, name, metadata_sha256):
    """The text of a `*_presets.py` file with the `metadata_sha256` of the
    preset `name` replaced, and nothing else changed."""

    def replace(match):
        if match["name"] != name:
            return match[0]
        return f'{match["head"]}"{metadata_sha256}"'

    return _DECLARATION.sub(replace, text)


def list_presets():
    """Names and descriptions of the registered presets."""
    return {name: entry["description"] for name, entry in REGISTRY.items()}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_to_preset(model, directory, metadata=None, weights_dtype="float32"):
    """Writes `model` as a preset folder.

    Args:
        model: keras.Model. A registered keras_aegan model.
        directory: str or Path. The folder to write; created if needed.
        metadata: dict or None. Extra metadata: `dataset`, `split`,
            `recipe` (the exact command), `metrics` (with how they were
            measured), `training` (epochs, wall time). Defaults to `None`.
        weights_dtype: str. `"float32"`, or `"float16"` to store the
            floating-point weights at half the size (for the larger
            presets, within the wheel's size budget). They load into the
            model's float32 variables exactly as stored, so measure a
            model whose weights went through `round_weights()` first.
            Defaults to `"float32"`.

    Returns:
        The folder's `Path`.
    """
    if weights_dtype not in ("float32", "float16"):
        raise ValueError(
            "Expected weights_dtype 'float32' or 'float16'. Received "
            f"{weights_dtype!r}."
        )
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
    if weights_dtype == "float16":
        _store_float16(directory / WEIGHTS_FILE)
    full = {
        "keras_version": keras.__version__,
        "keras_aegan_version": __version__,
        "class_name": type(model).__name__,
        "parameter_count": int(model.count_params()),
        "date": datetime.date.today().isoformat(),
        "backend": keras.backend.backend(),
        "weights_dtype": weights_dtype,
    }
    full.update(metadata or {})
    full["sha256"] = {name: sha256(directory / name) for name in PRESET_FILES}
    (directory / METADATA_FILE).write_text(json.dumps(full, indent=2))
    return directory


def round_weights(model, dtype="float16"):
    """Rounds `model`'s float32 weights to `dtype` and back, in place: the
    model then computes what a preset saved with `weights_dtype=dtype`
    computes once loaded."""
    model.set_weights(
        [
            w.astype(dtype).astype(w.dtype) if w.dtype == np.float32 else w
            for w in model.get_weights()
        ]
    )
    return model


def _store_float16(path):
    # Rewrites every float32 array of a Keras weights file as float16;
    # `load_weights` assigns them to the float32 variables unchanged.
    import h5py

    # HDF5 does not give back the space of a deleted array: write a new
    # file with the same groups, attributes and arrays, then replace.
    path = Path(path)
    smaller = path.with_suffix(".float16.h5")

    def copy(source, target):
        target.attrs.update(source.attrs)
        for key, item in source.items():
            if isinstance(item, h5py.Group):
                copy(item, target.create_group(key))
                continue
            values = item[()]
            if item.dtype == np.float32:
                values = values.astype(np.float16)
            target.create_dataset(key, data=values)
            target[key].attrs.update(item.attrs)

    with h5py.File(path, "r") as source, h5py.File(smaller, "w") as target:
        copy(source, target)
    smaller.replace(path)


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
    # Keras reads KERAS_HOME once, at import; a later setting (a notebook,
    # a test) still chooses the cache here. Keras falls back to /tmp for a
    # folder that does not exist yet.
    cache_dir = os.environ.get("KERAS_HOME")
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
    folder = None
    for name in (METADATA_FILE, *PRESET_FILES):
        path = keras.utils.get_file(
            fname=name,
            origin=f"{base_url}/{name}",
            cache_subdir=cache_subdir,
            cache_dir=cache_dir,
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
            # One cache folder per declared version: a new release of the
            # preset (a new metadata hash) is fetched, not refused.
            folder = _download(
                entry["url"],
                f"keras_aegan/{reference}/{expected_metadata[:16]}",
            )
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


def _with_overrides(config, overrides, reference):
    """The config with `overrides` of its constructor arguments; `dtype`
    also reaches every layer of the networks inside."""
    config = copy.deepcopy(config)
    arguments = config["config"]
    unknown = sorted(set(overrides) - set(arguments) - {"dtype"})
    if unknown:
        raise ValueError(
            f"Expected overrides among the arguments of the preset "
            f"{reference!r}: {', '.join(sorted(arguments))}. Received "
            f"{', '.join(unknown)}."
        )
    overrides = dict(overrides)
    if "dtype" in overrides:
        policy = keras.dtype_policies.serialize(
            keras.dtype_policies.get(overrides.pop("dtype"))
        )

        def walk(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    is_policy = (
                        isinstance(value, dict)
                        and value.get("class_name") == "DTypePolicy"
                    )
                    if key == "dtype" and is_policy:
                        node[key] = copy.deepcopy(policy)
                    else:
                        walk(value)
            elif isinstance(node, builtins.list):  # `list` is list_presets
                for value in node:
                    walk(value)

        walk(config)
    arguments.update(overrides)
    return config


def load(reference, load_weights=True, expected_class=None, **overrides):
    """Builds a model from a preset.

    Args:
        reference: str or Path. See `resolve`.
        load_weights: bool. Load the pretrained weights; with `False` the
            architecture comes freshly initialized. Defaults to `True`.
        expected_class: class or None. When given, the preset must hold
            this class (or a subclass). Defaults to `None`.
        **overrides: constructor arguments that replace the preset's,
            such as `seed=`, and `dtype=` (a dtype policy name such as
            `"mixed_bfloat16"`), which every layer of the networks takes.

    Returns:
        The model, uncompiled: call `compile()` before `fit()`.
    """
    folder = resolve(reference)
    config = json.loads((folder / CONFIG_FILE).read_text())
    if overrides:
        config = _with_overrides(config, overrides, reference)
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
