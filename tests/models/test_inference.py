"""The models' inference methods: NumPy out, in batches, without gradients.

`generate`, `encode`, `decode`, `reconstruct`, `codes`, `decode_codes` and
`translate_*` behave like `keras.Model.predict()` on every backend: they
return NumPy arrays (on PyTorch, never tensors that require grad), and the
result does not depend on the batch size.
"""

import keras
import numpy as np
import pytest

from keras_aegan import models
from keras_aegan import training
from tests.models.aae import test_aae
from tests.models.autoencoder import test_autoencoders
from tests.models.cyclegan import test_cyclegan
from tests.models.gan import test_gans
from tests.models.vqvae import test_vqvae

IMAGES = np.random.default_rng(0).uniform(0, 1, (7, 28, 28, 1))
IMAGES = IMAGES.astype("float32")


def _assert_numpy_and_batch_free(method, *args, **kwargs):
    """`method(*args)` as NumPy, the same in batches of 3 as in one."""
    whole = method(*args, batch_size=128, **kwargs)
    parts = method(*args, batch_size=3, **kwargs)
    for a, b in zip(
        whole if isinstance(whole, tuple) else (whole,),
        parts if isinstance(parts, tuple) else (parts,),
        strict=True,
    ):
        assert type(a) is np.ndarray and type(b) is np.ndarray
        assert len(a) == 7
        # float32 matrix products may sum in another order for another
        # batch size (measured up to 1.2e-6 on one thread, PyTorch): a few
        # units in the last place, far below what wrong batching gives.
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    return whole


@pytest.mark.parametrize("name", ["DCGAN", "ConditionalGAN"])
def test_generate_returns_seeded_numpy(name):
    model = test_gans.tiny(name)
    images = _assert_numpy_and_batch_free(model.generate, 7, seed=3)
    assert images.shape == (7, *model.image_shape)
    # np.asarray works on every backend (on PyTorch, a tensor that
    # requires grad would raise).
    assert np.asarray(model.generate(2, seed=1)).shape[0] == 2
    # The generator in inference mode on the same noise.
    z = model.sample_latent(7, seed=3)
    if name == "ConditionalGAN":
        z = [z, keras.ops.arange(7, dtype="int32") % 10]
    direct = training.numpy_outputs(model.generator, z, 128)
    np.testing.assert_allclose(images, direct, atol=1e-6)


def test_autoencoder_encode_decode_reconstruct():
    model = models.Autoencoder(**test_autoencoders._small_dense(4))
    codes = _assert_numpy_and_batch_free(model.encode, IMAGES)
    assert codes.shape == (7, 4)
    decoded = _assert_numpy_and_batch_free(model.decode, codes)
    reconstructed = _assert_numpy_and_batch_free(model.reconstruct, IMAGES)
    np.testing.assert_allclose(decoded, reconstructed, atol=1e-6)


def test_vae_encode_decode_reconstruct_generate():
    model = models.VAE(latent_dim=4, seed=0)
    z_mean, z_log_var = _assert_numpy_and_batch_free(model.encode, IMAGES)
    assert z_mean.shape == z_log_var.shape == (7, 4)
    decoded = _assert_numpy_and_batch_free(model.decode, z_mean)
    # The reconstruction decodes the posterior mean.
    np.testing.assert_allclose(
        _assert_numpy_and_batch_free(model.reconstruct, IMAGES),
        decoded,
        atol=1e-6,
    )
    _assert_numpy_and_batch_free(model.generate, 7, seed=1)


def test_vqvae_codes_and_decoding():
    model = test_vqvae._small()
    z_e = _assert_numpy_and_batch_free(model.encode, IMAGES)
    codes = _assert_numpy_and_batch_free(model.codes, IMAGES)
    assert codes.shape == (7, 7, 7) and codes.dtype.kind == "i"
    from_codes = _assert_numpy_and_batch_free(model.decode_codes, codes)
    z_q = model.quantizer.lookup(codes)
    np.testing.assert_allclose(
        _assert_numpy_and_batch_free(model.decode, z_q), from_codes, atol=1e-6
    )
    np.testing.assert_allclose(
        _assert_numpy_and_batch_free(model.reconstruct, IMAGES),
        from_codes,
        atol=1e-6,
    )
    assert z_e.shape == (7, 7, 7, 8)


def test_aae_encode_decode_generate():
    model = test_aae._small()
    codes = _assert_numpy_and_batch_free(model.encode, IMAGES)
    np.testing.assert_allclose(
        _assert_numpy_and_batch_free(model.decode, codes),
        _assert_numpy_and_batch_free(model.reconstruct, IMAGES),
        atol=1e-6,
    )
    _assert_numpy_and_batch_free(model.generate, 7, seed=2)


def test_translate_both_ways():
    model = models.CycleGAN(**test_cyclegan.SMALL, seed=0)
    horses = test_cyclegan._images(7, 0)
    for translate in (model.translate_a_to_b, model.translate_b_to_a):
        out = _assert_numpy_and_batch_free(translate, horses)
        assert out.shape == horses.shape
        assert np.abs(out).max() <= 1.0


@pytest.mark.parametrize(
    "batch_size, error", [(0, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_bad_batch_size_is_named(batch_size, error):
    model = test_gans.tiny("DCGAN")
    with pytest.raises(error, match=f"batch_size={batch_size!r}"):
        model.generate(4, batch_size=batch_size)
