"""Rewrites shipped presets to build `SubpixelConv2DTranspose` layers.

`networks.SubpixelConv2DTranspose` is `keras.layers.Conv2DTranspose` with
the same config and weights, computed as a sub-pixel convolution on the
backends where that is faster (JAX). Presets saved before it existed name
`Conv2DTranspose`; this script swaps the class in their `config.json`,
copies the weights over unchanged (the weights file is rewritten because
Keras keys a layer's weights by its class), refreshes the sha256 chain
(config and weights in `metadata.json`, metadata in the `*_presets.py`
declaration), and
checks that the rewritten preset gives the same outputs as the original,
computed as a sub-pixel convolution, before anything is written.

Usage, from the repository root:

```
python zoo/upgrade_subpixel.py dcgan_mnist dcgan_cifar10 vae_mnist
```
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

_REPO = Path(__file__).resolve().parents[1]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

import keras  # noqa: E402

from keras_aegan import presets  # noqa: E402

SUBPIXEL = {
    "module": "keras_aegan.networks.layers",
    "class_name": "SubpixelConv2DTranspose",
    "registered_name": "keras_aegan>SubpixelConv2DTranspose",
}


def swap(config):
    """Returns `config` with every `Conv2DTranspose` made sub-pixel."""
    count = 0

    def visit(node):
        nonlocal count
        if isinstance(node, dict):
            if (
                node.get("module") == "keras.layers"
                and node.get("class_name") == "Conv2DTranspose"
            ):
                node.update(SUBPIXEL)
                node["config"]["subpixel"] = None
                count += 1
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(config)
    return config, count


def outputs(model, seed=0):
    """The model's deterministic outputs for a fixed batch."""
    rng = np.random.default_rng(seed)
    if hasattr(model, "generator"):
        network = model.generator
    else:
        network = model.decoder
    shape = (8, *network.input_shape[1:])
    x = rng.normal(size=shape).astype("float32")
    return np.asarray(keras.ops.convert_to_numpy(network(x, training=False)))


def upgrade(name):
    folder = presets.SHIPPED_DIR / presets.REGISTRY[name]["path"]
    before = presets.load(name)
    config = json.loads((folder / presets.CONFIG_FILE).read_text())
    config, count = swap(config)
    if count == 0:
        print(f"{name}: no Conv2DTranspose, left as it is")
        return
    after = keras.saving.deserialize_keras_object(config)
    after.set_weights(before.get_weights())
    for layer in after._flatten_layers():
        if hasattr(layer, "subpixel"):
            layer.subpixel = True
    diff = float(np.abs(outputs(before) - outputs(after)).max())
    if diff > 1e-4:
        raise ValueError(f"{name}: outputs differ by {diff}; not written")
    (folder / presets.CONFIG_FILE).write_text(json.dumps(config, indent=2))
    after.save_weights(folder / presets.WEIGHTS_FILE)
    metadata_path = folder / presets.METADATA_FILE
    metadata = json.loads(metadata_path.read_text())
    for file in presets.PRESET_FILES:
        metadata["sha256"][file] = presets.sha256(folder / file)
    metadata.setdefault("history", []).append(
        f"{count} Conv2DTranspose layers made SubpixelConv2DTranspose "
        f"(zoo/upgrade_subpixel.py); outputs equal to {diff:.1e}"
    )
    metadata_path.write_text(json.dumps(metadata, indent=2))
    presets.register(
        name,
        presets.sha256(metadata_path),
        save=True,
    )
    print(f"{name}: {count} layers, outputs equal to {diff:.1e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+")
    for name in parser.parse_args().names:
        upgrade(name)


if __name__ == "__main__":
    main()
