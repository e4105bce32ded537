"""Weights saved under one backend load under the others, same outputs."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from keras_aegan.models import DCGAN
from keras_aegan.models import VAE
from tests.helpers import BACKEND
from tests.helpers import REPO
from tests.helpers import to_numpy

LOADER = """
import json, sys
import numpy as np
import keras
from keras_aegan.models import DCGAN, VAE
spec = json.loads(sys.argv[1])
inputs = np.load(spec["inputs"])
out = {}
for name, cls, key in (("vae", VAE, "x"), ("dcgan", DCGAN, "z")):
    model = cls.from_config(json.load(open(spec[name + "_config"])))
    model.load_weights(spec[name + "_weights"])
    got = np.asarray(keras.ops.convert_to_numpy(model(inputs[key])))
    out[name] = float(np.abs(got - inputs[name]).max())
print("RESULT", json.dumps(out))
"""


@pytest.mark.parametrize(
    "other", [b for b in ("tensorflow", "jax", "torch") if b != BACKEND]
)
def test_weights_load_under_another_backend(other, tmp_path, mnist_unit):
    rng = np.random.default_rng(0)
    x = mnist_unit[:4]
    z = rng.normal(size=(4, 16)).astype("float32")
    spec = {"inputs": str(tmp_path / "inputs.npz")}
    expected = {}
    for name, model, inputs in (
        ("vae", VAE(latent_dim=6, seed=0), x),
        ("dcgan", DCGAN(latent_dim=16, seed=0), z),
    ):
        # Move the weights away from their initial values first.
        model.compile()
        data = x if name == "vae" else x * 2.0 - 1.0
        model.fit(data, epochs=1, batch_size=4, verbose=0)
        spec[name + "_weights"] = str(tmp_path / f"{name}.weights.h5")
        spec[name + "_config"] = str(tmp_path / f"{name}.json")
        model.save_weights(spec[name + "_weights"])
        with open(spec[name + "_config"], "w") as f:
            json.dump(model.get_config(), f)
        expected[name] = to_numpy(model(inputs))
    np.savez(spec["inputs"], x=x, z=z, **expected)
    env = dict(os.environ, KERAS_BACKEND=other)
    done = subprocess.run(
        [sys.executable, "-c", LOADER, json.dumps(spec)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = [s for s in done.stdout.splitlines() if s.startswith("RESULT")][-1]
    diffs = json.loads(line.split(" ", 1)[1])
    assert diffs["vae"] < 1e-5 and diffs["dcgan"] < 1e-5, diffs
