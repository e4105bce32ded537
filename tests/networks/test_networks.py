"""Networks: the sub-pixel transposed convolution is `Conv2DTranspose`."""

import keras
import numpy as np
import pytest
from keras import layers

from keras_aegan import networks
from keras_aegan import presets
from keras_aegan import training
from keras_aegan.networks import SubpixelConv2DTranspose
from tests.helpers import BACKEND
from tests.helpers import to_numpy

# (kernel_size, strides, input height and width): the generators' 4/2 and
# 3/2 layers, a kernel that is the stride, a stride of 3 with a kernel it
# does not divide, and a different stride per axis.
CASES = [
    ((4, 4), (2, 2), (7, 7)),
    ((3, 3), (2, 2), (5, 6)),
    ((2, 2), (2, 2), (4, 3)),
    ((5, 5), (3, 3), (3, 4)),
    ((4, 3), (2, 1), (5, 5)),
]


def _pair(kernel_size, strides, channels=5, filters=7):
    """A `Conv2DTranspose` and a sub-pixel one with the same weights."""
    kwargs = dict(
        filters=filters,
        kernel_size=kernel_size,
        strides=strides,
        padding="same",
        activation="tanh",
        bias_initializer="random_normal",
    )
    reference = layers.Conv2DTranspose(**kwargs)
    subpixel = SubpixelConv2DTranspose(subpixel=True, **kwargs)
    reference.build((None, None, None, channels))
    subpixel.build((None, None, None, channels))
    subpixel.set_weights(reference.get_weights())
    return reference, subpixel


def _images(size, channels=5, batch=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(batch, *size, channels)).astype("float32")


@pytest.mark.parametrize("kernel_size,strides,size", CASES)
def test_subpixel_outputs_equal_conv_transpose(kernel_size, strides, size):
    reference, subpixel = _pair(kernel_size, strides)
    assert subpixel._phase_plan() is not None
    x = _images(size)
    expected = to_numpy(reference(x))
    got = to_numpy(subpixel(x))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_equality_bound_discriminates():
    # The commonest slip in this derivation, a kernel flipped along one
    # axis, misses the 1e-5 bound by orders of magnitude.
    reference, subpixel = _pair((4, 4), (2, 2))
    kernel = to_numpy(reference.kernel)
    subpixel.kernel.assign(kernel[::-1])
    x = _images((7, 7))
    error = np.abs(to_numpy(subpixel(x)) - to_numpy(reference(x))).max()
    assert error > 1e-2


@pytest.mark.parametrize("kernel_size,strides,size", CASES[:2])
def test_subpixel_gradients_equal_conv_transpose(kernel_size, strides, size):
    reference, subpixel = _pair(kernel_size, strides)
    x = _images(size)
    out_size = (size[0] * strides[0], size[1] * strides[1])
    target = np.tanh(_images(out_size, channels=7, seed=1))
    kernels = []
    for layer in (reference, subpixel):
        inputs = keras.Input(x.shape[1:])
        model = keras.Model(inputs, layer(inputs))
        # With plain SGD at rate 1, the change of a weight is its gradient.
        model.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
        before = [to_numpy(w) for w in layer.weights]
        model.train_on_batch(x, target)
        after = [to_numpy(w) for w in layer.weights]
        kernels.append([b - a for b, a in zip(before, after, strict=True)])
    for expected, got in zip(*kernels, strict=True):
        assert np.abs(expected).max() > 1e-4
        np.testing.assert_allclose(got, expected, atol=1e-6)

    def squares(layer):
        return lambda images: keras.ops.sum(
            keras.ops.square(layer(images)), axis=(1, 2, 3)
        )

    _, expected = training.input_gradient(squares(reference), x)
    _, got = training.input_gradient(squares(subpixel), x)
    np.testing.assert_allclose(to_numpy(got), to_numpy(expected), atol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(kernel_size=4, strides=2, padding="valid"),
        dict(kernel_size=4, strides=2, padding="same", output_padding=1),
        dict(kernel_size=3, strides=1, padding="same"),
        dict(kernel_size=1, strides=2, padding="same"),
    ],
)
def test_layers_it_cannot_split_compute_conv_transpose(kwargs):
    reference = layers.Conv2DTranspose(4, **kwargs)
    subpixel = SubpixelConv2DTranspose(4, subpixel=True, **kwargs)
    x = _images((5, 5), channels=3)
    reference.build(x.shape)
    subpixel.build(x.shape)
    subpixel.set_weights(reference.get_weights())
    assert subpixel._phase_plan() is None
    np.testing.assert_array_equal(to_numpy(subpixel(x)), to_numpy(reference(x)))


def test_default_formulation_is_the_backends_faster_one():
    layer = SubpixelConv2DTranspose(4, 4, strides=2, padding="same")
    assert layer.subpixel is None
    # bench/upsampling.py: sub-pixel is faster on JAX, the backend's own
    # kernel on TensorFlow and PyTorch.
    assert training.prefers_subpixel_conv_transpose() == (BACKEND == "jax")
    assert (layer._phase_plan() is not None) == (BACKEND == "jax")
    forced = SubpixelConv2DTranspose(4, 4, strides=2, subpixel=False)
    assert forced._phase_plan() is None


def test_config_round_trip_and_bad_subpixel():
    layer = SubpixelConv2DTranspose(6, 4, strides=2, padding="same")
    config = layer.get_config()
    assert config["subpixel"] is None
    clone = SubpixelConv2DTranspose.from_config(config)
    assert clone.get_config() == config
    serialized = keras.saving.serialize_keras_object(layer)
    assert serialized["registered_name"] == (
        "keras_aegan>SubpixelConv2DTranspose"
    )
    with pytest.raises(ValueError, match="subpixel=None, True or False"):
        SubpixelConv2DTranspose(6, 4, strides=2, subpixel="yes")


def test_default_generators_use_subpixel_layers():
    for network in (
        networks.dcgan_generator(),
        networks.conv_decoder(latent_dim=2),
        networks.resnet_generator((32, 32, 3)),
    ):
        kinds = {type(layer) for layer in network.layers}
        assert SubpixelConv2DTranspose in kinds
        assert layers.Conv2DTranspose not in kinds


@pytest.mark.parametrize("name", ["dcgan_mnist", "dcgan_cifar10", "vae_mnist"])
def test_shipped_presets_give_their_conv_transpose_outputs(name):
    model = presets.load(name)
    network = getattr(model, "generator", None) or model.decoder
    subpixel_layers = [
        layer
        for layer in network.layers
        if isinstance(layer, SubpixelConv2DTranspose)
    ]
    assert subpixel_layers
    plain = networks.plain_conv_transpose(network)
    assert not any(
        isinstance(layer, SubpixelConv2DTranspose) for layer in plain.layers
    )
    for layer in subpixel_layers:
        layer.subpixel = True
    z = np.random.default_rng(0).normal(size=(8, *network.input_shape[1:]))
    z = z.astype("float32")
    expected = to_numpy(plain(z, training=False))
    got = to_numpy(network(z, training=False))
    scale = np.abs(expected).max()
    np.testing.assert_allclose(got, expected, atol=1e-4 * scale)
