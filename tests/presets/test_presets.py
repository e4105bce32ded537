"""Presets: save, load by path and by URL, refusals."""

import json
import shutil

import keras
import numpy as np
import pytest

from keras_aegan import presets
from keras_aegan.models import DCGAN
from keras_aegan.models import VAE
from tests.helpers import to_numpy


@pytest.fixture
def small_vae_preset(tmp_path):
    vae = VAE(latent_dim=3, seed=0)
    folder = vae.save_to_preset(
        tmp_path / "vae_small",
        metadata={"dataset": "none", "recipe": "test fixture"},
    )
    return vae, folder


def test_save_layout_and_load_round_trip(small_vae_preset, mnist_unit):
    vae, folder = small_vae_preset
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "metadata.json",
        "model.weights.h5",
    ]
    metadata = json.loads((folder / "metadata.json").read_text())
    assert metadata["class_name"] == "VAE"
    assert metadata["parameter_count"] == vae.count_params()
    assert set(metadata["sha256"]) == {"config.json", "model.weights.h5"}
    loaded = VAE.from_preset(str(folder))
    x = mnist_unit[:4]
    np.testing.assert_allclose(
        to_numpy(loaded.reconstruct(x)), to_numpy(vae.reconstruct(x)), atol=1e-6
    )
    fresh = VAE.from_preset(str(folder), load_weights=False)
    assert (
        np.abs(
            to_numpy(fresh.reconstruct(x)) - to_numpy(vae.reconstruct(x))
        ).max()
        > 1e-4
    )
    # Loaded presets fine-tune with fit().
    loaded.compile()
    history = loaded.fit(x, epochs=2, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_file_url_is_downloaded_once_and_checked(
    small_vae_preset, tmp_path, monkeypatch
):
    _, folder = small_vae_preset
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    url = folder.resolve().as_uri()
    first = presets.resolve(url)
    assert first != folder and (first / "model.weights.h5").is_file()
    assert first.is_relative_to(tmp_path / "keras_home")
    assert presets.resolve(url) == first  # reused from the cache
    model = presets.load(url)
    assert isinstance(model, VAE)


def test_a_preset_declared_by_url_downloads_and_checks_its_metadata(
    small_vae_preset, tmp_path, monkeypatch
):
    """The way a preset too large for the wheel ships: declared with a
    `url` instead of a `path`, fetched into the Keras cache on first use,
    and refused when its metadata's sha256 is not the declared one."""
    vae, folder = small_vae_preset
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setattr(presets, "REGISTRY", dict(presets.REGISTRY))
    metadata_sha256 = presets.sha256(folder / presets.METADATA_FILE)
    declaration = {
        "description": "A small VAE served from a URL.",
        "metadata_sha256": metadata_sha256,
        "url": folder.resolve().as_uri(),
    }
    presets.register_presets({"vae_by_url": declaration}, VAE)
    assert "vae_by_url" in presets.presets_of(VAE)
    loaded = VAE.from_preset("vae_by_url")
    cached = presets.resolve("vae_by_url")
    assert cached != folder and cached.name == metadata_sha256[:16]
    assert cached.is_relative_to(tmp_path / "keras_home")
    x = np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(
        to_numpy(loaded.decode(x[:, 0, :3, 0])),
        to_numpy(vae.decode(x[:, 0, :3, 0])),
        atol=1e-6,
    )
    wrong = {**declaration, "metadata_sha256": "0" * 64}
    presets.register_presets({"vae_by_url_changed": wrong}, VAE)
    with pytest.raises(ValueError, match="metadata.json has sha256"):
        presets.resolve("vae_by_url_changed")


def test_refusals(small_vae_preset, tmp_path):
    _, folder = small_vae_preset
    with pytest.raises(ValueError, match="Unknown preset 'no_such_preset'"):
        presets.load("no_such_preset")
    with pytest.raises(
        ValueError, match="holds a keras_aegan>VAE, not a DCGAN"
    ):
        DCGAN.from_preset(str(folder))

    truncated = shutil.copytree(folder, tmp_path / "truncated")
    weights = truncated / "model.weights.h5"
    weights.write_bytes(weights.read_bytes()[:-100])
    with pytest.raises(ValueError, match=r"model.weights.h5 has sha256"):
        presets.load(str(truncated))

    tampered = shutil.copytree(folder, tmp_path / "tampered")
    config = json.loads((tampered / "config.json").read_text())
    config["config"]["beta"] = 100.0
    (tampered / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match=r"config.json has sha256.*changed"):
        presets.load(str(tampered))

    missing = shutil.copytree(folder, tmp_path / "missing")
    (missing / "model.weights.h5").unlink()
    with pytest.raises(FileNotFoundError, match="model.weights.h5 is missing"):
        presets.load(str(missing))


def test_lambda_layers_are_refused_by_safe_mode(tmp_path):
    inputs = keras.Input((3,))
    outputs = keras.layers.Dense(6)(inputs)
    z_mean = keras.layers.Lambda(lambda t: t[:, :3])(outputs)
    z_log_var = keras.layers.Lambda(lambda t: t[:, 3:])(outputs)
    encoder = keras.Model(inputs, [z_mean, z_log_var])
    decoder_in = keras.Input((3,))
    decoder = keras.Model(decoder_in, keras.layers.Dense(3)(decoder_in))
    vae = VAE(encoder, decoder, image_shape=(3, 1, 1), latent_dim=3)
    folder = vae.save_to_preset(tmp_path / "lambda")
    with pytest.raises(ValueError, match="safe_mode"):
        presets.load(str(folder))


def test_presets_are_declared_beside_their_class():
    from keras_aegan.models import GenerativeModel

    assert set(DCGAN.presets) == {"dcgan_mnist", "dcgan_cifar10"}
    assert list(VAE.presets) == ["vae_mnist"]
    assert DCGAN.presets["dcgan_mnist"].startswith("DCGAN (Radford")
    assert set(DCGAN.presets) < set(GenerativeModel.presets)
    path = presets.declaration_file("dcgan_mnist")
    assert path.parent.name == "gan" and path.name == "dcgan_presets.py"
    # A rebuilt preset's hash replaces its own declaration's, only.
    text = path.read_text()
    new = "0" * 64
    rewritten = presets.with_metadata_sha256(text, "dcgan_cifar10", new)
    assert rewritten.count(new) == 1
    assert rewritten.replace(new, "") == text.replace(
        presets.REGISTRY["dcgan_cifar10"]["metadata_sha256"], ""
    )
    with pytest.raises(ValueError, match="declare it"):
        presets.register("dcgan_svhn", new)


def test_from_preset_takes_overrides():
    reference = DCGAN.from_preset("dcgan_mnist")
    half = DCGAN.from_preset("dcgan_mnist", dtype="mixed_bfloat16", seed=9)
    assert half.seed == 9
    layers = half.generator.layers + half.discriminator.layers
    assert {
        layer.dtype_policy.name
        for layer in layers
        if not isinstance(layer, keras.layers.InputLayer)
    } == {"mixed_bfloat16"}
    # The same weights: bfloat16 samples close to float32 ones on [-1, 1].
    # Measured on 16 samples: mean gap 7e-4 to 1.3e-3, largest pixel gap
    # 0.037 (JAX, PyTorch) to 0.059 (TensorFlow on one thread); samples of
    # another seed are 0.30 to 0.37 apart on average.
    a = reference.generate(4, seed=0)
    b = np.asarray(half.generate(4, seed=0), "float32")
    gap = np.abs(a - b)
    assert 0 < gap.mean() < 0.01
    assert gap.max() < 0.15
    with pytest.raises(ValueError, match="Received colour"):
        DCGAN.from_preset("dcgan_mnist", colour=3)


def test_float16_weights_load_as_the_rounded_model_at_half_the_size(tmp_path):
    from keras_aegan.models import Pix2Pix

    model = Pix2Pix(
        image_shape=(32, 32, 3),
        input_channels=3,
        generator_filters=8,
        discriminator_filters=8,
        seed=0,
    )
    x = np.random.default_rng(0).uniform(-1, 1, (4, 32, 32, 3))
    x = x.astype("float32")
    exact = model.translate(x)
    model.save_to_preset(tmp_path / "full")
    presets.round_weights(model)
    rounded = model.translate(x)
    model.save_to_preset(tmp_path / "half", weights_dtype="float16")
    loaded = Pix2Pix.from_preset(tmp_path / "half")
    # Loaded float16 weights are the rounded ones, in float32 variables.
    np.testing.assert_array_equal(loaded.translate(x), rounded)
    assert loaded.generator.weights[0].dtype == "float32"
    # Rounding moves the outputs (the check can fail) ...
    assert 0 < np.abs(rounded - exact).max() < 1e-3
    # ... and halves the file.
    sizes = {
        k: (tmp_path / k / presets.WEIGHTS_FILE).stat().st_size
        for k in ("full", "half")
    }
    assert sizes["half"] < 0.55 * sizes["full"]
    with pytest.raises(ValueError, match="weights_dtype"):
        model.save_to_preset(tmp_path / "bad", weights_dtype="bfloat16")
