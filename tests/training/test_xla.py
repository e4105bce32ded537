"""XLA-compiled steps (`jit_compile=True`, `steps_per_execution=4`), as TPUs
run them: the card models (DCGAN, WGAN-GP, VAE, CycleGAN) against
uncompiled steps, and the rest of the GAN family, DiscoGAN and the
contractive autoencoder compiled and trained under TensorFlow's XLA (on
JAX, Keras jits the steps of every test by default).

A step that called host-side code (`py_function`, Python-side state) would
fail to compile under XLA. The compiled steps must also compute what the
uncompiled ones do:

- JAX: the jitted steps, four per call, equal eager steps for DCGAN
  (measured 2e-7, bound 1e-5), and, for every model, four jitted steps per
  call equal one per call for the card models.
- TensorFlow: XLA's CPU random-number generator gives another stream than
  TensorFlow's for the same seed and algorithm (measured: the same
  `stateless_normal` call returns other values under `jit_compile`), so a
  model that draws noise cannot equal its graph-mode run. Four XLA steps
  per call are checked against one XLA step per call for the card
  models, and
  XLA against graph mode for the contractive autoencoder, which draws no
  noise and takes input gradients (bound 1e-5).
- PyTorch: Keras runs `torch.compile`; `steps_per_execution` must be 1
  there (Keras refuses more). DCGAN compiled equals DCGAN eager.
"""

import keras
import numpy as np
import pytest

from keras_aegan import models
from keras_aegan import networks
from tests.helpers import BACKEND
from tests.helpers import to_numpy
from tests.models.gan.test_gans import CONDITIONAL
from tests.models.gan.test_gans import GAN_FAMILY
from tests.models.gan.test_gans import tiny

CARD_MODELS = ("DCGAN", "WGANGP", "VAE", "CycleGAN")
OTHERS = ("VAE", "CycleGAN", "DiscoGAN", "ContractiveAutoencoder")
BOUND = 1e-5


def build(name):
    if name == "LSGAN":
        # The family's tiny LSGAN augments with keras.layers.RandomTranslation,
        # which has no XLA kernel on TensorFlow (Keras then falls back to
        # jit_compile=False); the loss pair is what is checked here.
        return models.LSGAN(
            networks.dcgan_generator(8, (28, 28, 1), base_filters=4),
            networks.dcgan_discriminator((28, 28, 1), base_filters=4),
            latent_dim=8,
            seed=0,
        )
    if name in GAN_FAMILY:
        return tiny(name)
    if name == "VAE":
        return models.VAE(latent_dim=4, seed=0)
    if name == "CycleGAN":
        return models.CycleGAN(
            image_shape=(16, 16, 1),
            generator_filters=4,
            num_residual_blocks=1,
            discriminator_filters=4,
            pool_size=8,
            seed=0,
        )
    if name == "DiscoGAN":
        return models.DiscoGAN(image_shape=(16, 16, 1), filters=4, seed=0)
    if name == "ContractiveAutoencoder":
        return models.ContractiveAutoencoder(
            encoder=networks.dense_encoder((28, 28, 1), 4, hidden_units=(16,)),
            decoder=networks.dense_decoder(4, (28, 28, 1), hidden_units=(16,)),
            image_shape=(28, 28, 1),
            latent_dim=4,
        )
    raise ValueError(name)


def fit_arguments(name, mnist_digits):
    images, labels = mnist_digits
    unit = images[:32].astype("float32") / 255.0
    signed = unit * 2.0 - 1.0
    if name in ("VAE", "ContractiveAutoencoder"):
        return {"x": unit}
    if name in ("CycleGAN", "DiscoGAN"):
        size = 16
        crop = signed[:, 14 - size // 2 : 14 + size // 2, 10 : 10 + size]
        return {"x": crop, "y": crop[::-1].copy()}
    if name in CONDITIONAL:
        return {"x": signed, "y": labels[:32]}
    return {"x": signed}


def train(name, initial, arguments, **compile_args):
    # Layers that draw their own noise (dropout) take their seeds from the
    # global seed when built: the same for every run.
    keras.utils.set_random_seed(0)
    model = build(name)
    if initial is not None:
        model.set_weights(initial)
    start = model.get_weights()
    optimizers = {
        n: keras.optimizers.SGD(0.01) for n in model.default_optimizers()
    }
    model.compile(**optimizers, **compile_args)
    model.fit(**arguments, batch_size=8, shuffle=False, verbose=0)
    # Keras silently falls back to uncompiled steps when a layer cannot
    # be compiled: the flag must still be set after training.
    assert model.jit_compile == compile_args.get("jit_compile", False)
    steps = {
        n: int(to_numpy(model.optimizer[n].iterations))
        for n in model.optimizer.names
    }
    return start, [to_numpy(w) for w in model.weights], steps


def max_difference(a, b):
    return max(
        float(np.abs(x.astype("float64") - y.astype("float64")).max())
        for x, y in zip(a, b, strict=True)
        if x.size
    )


@pytest.mark.skipif(
    BACKEND == "torch", reason="XLA compiles steps on TF and JAX."
)
@pytest.mark.parametrize("name", CARD_MODELS)
def test_xla_steps_four_per_call_equal_one_per_call(name, mnist_digits):
    arguments = fit_arguments(name, mnist_digits)
    start, four, four_steps = train(
        name, None, arguments, jit_compile=True, steps_per_execution=4
    )
    _, one, one_steps = train(
        name, start, arguments, jit_compile=True, steps_per_execution=1
    )
    assert four_steps == one_steps
    assert min(four_steps.values()) >= 4
    assert max_difference(four, one) < BOUND
    # The steps moved the weights far beyond the bound.
    assert max_difference(start, four) > 1e-3


@pytest.mark.skipif(BACKEND != "jax", reason="JAX's eager steps.")
def test_jax_jitted_steps_equal_eager_steps(mnist_digits):
    arguments = fit_arguments("DCGAN", mnist_digits)
    start, jitted, _ = train(
        "DCGAN", None, arguments, jit_compile=True, steps_per_execution=4
    )
    _, eager, _ = train("DCGAN", start, arguments, jit_compile=False)
    assert max_difference(jitted, eager) < BOUND
    assert max_difference(start, jitted) > 1e-3


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TF's graph mode.")
def test_tf_xla_steps_equal_graph_steps_without_noise(mnist_digits):
    name = "ContractiveAutoencoder"
    arguments = fit_arguments(name, mnist_digits)
    start, xla, _ = train(
        name, None, arguments, jit_compile=True, steps_per_execution=4
    )
    _, graph, _ = train(name, start, arguments, jit_compile=False)
    assert max_difference(xla, graph) < BOUND
    assert max_difference(start, xla) > 1e-3


@pytest.mark.skipif(BACKEND != "torch", reason="torch.compile.")
def test_torch_compiled_steps_equal_eager_steps(mnist_digits):
    arguments = fit_arguments("DCGAN", mnist_digits)
    start, compiled, _ = train("DCGAN", None, arguments, jit_compile=True)
    _, eager, _ = train("DCGAN", start, arguments, jit_compile=False)
    assert max_difference(compiled, eager) < BOUND
    assert max_difference(start, compiled) > 1e-3


@pytest.mark.skipif(
    BACKEND != "tensorflow",
    reason="TF's XLA; on JAX every model test already trains jitted steps.",
)
@pytest.mark.parametrize(
    "name", [n for n in GAN_FAMILY + OTHERS if n not in CARD_MODELS]
)
def test_xla_steps_compile_for_the_rest_of_the_family(name, mnist_digits):
    # The rest of the family shares the card models' training core; each
    # model's own step must still compile under XLA and train. On JAX,
    # Keras jits every step by default, so each model's own tests already
    # compile its step there.
    arguments = fit_arguments(name, mnist_digits)
    start, weights, steps = train(
        name, None, arguments, jit_compile=True, steps_per_execution=4
    )
    assert min(steps.values()) >= 4
    assert all(np.isfinite(w).all() for w in weights if w.dtype.kind == "f")
    assert max_difference(start, weights) > 1e-4
