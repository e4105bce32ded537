"""Layers and building blocks the networks of several families share:
normalizations, padding, the sub-pixel transposed convolution, maxout,
the DCGAN initializer and the count of resolution stages."""

import keras
from keras import layers
from keras import ops

from keras_aegan import training
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.validation import check_image_shape


@keras_aegan_export("keras_aegan.networks.SyncBatchNormalization")
class SyncBatchNormalization(layers.BatchNormalization):
    """Batch normalization over the global batch of a distributed step.

    Ioffe & Szegedy, "Batch Normalization", ICML 2015, algorithm 1, with
    the mini-batch mean and variance taken over the global batch: under a
    `tf.distribute` strategy every replica normalizes with the moments of
    all replicas' examples together (`training.replica_moments`, two
    all-reduces), so a step on N replicas computes what one device computes
    on the whole batch. On one device, and under `keras.distribution` on
    JAX (where the step already sees the global batch), it is
    `keras.layers.BatchNormalization`. The saved config is the same on
    every backend, unlike `BatchNormalization(synchronized=True)`, which
    only the TensorFlow backend accepts.

    Takes the arguments of `keras.layers.BatchNormalization`, except
    `synchronized`.
    """

    def __init__(self, **kwargs):
        if kwargs.pop("synchronized", False):
            raise ValueError(
                "SyncBatchNormalization always synchronizes across "
                "replicas. Received synchronized=True; leave it out."
            )
        super().__init__(**kwargs)

    def _moments(self, inputs, mask):
        if mask is None and training.replica_context()[1] > 1:
            return training.replica_moments(inputs, self._reduction_axes)
        if mask is None:
            return stable_moments(inputs, self._reduction_axes)
        return super()._moments(inputs, mask)

    def get_config(self):
        config = super().get_config()
        config.pop("synchronized", None)
        return config


def at_least_float32(x):
    """`x` in float32 if it is float16 or bfloat16, else `x` itself.

    Not `keras.backend.result_type(x.dtype, "float32")`: Keras maps
    float64 to float32 there on JAX and PyTorch.
    """
    if keras.backend.standardize_dtype(x.dtype) in ("float16", "bfloat16"):
        return ops.cast(x, "float32")
    return x


def stable_moments(x, axes, keepdims=False):
    """Mean and variance of `x` over `axes`, the variance never negative.

    The variance is the mean of squared deviations from the mean (two
    passes), not `E[x^2] - E[x]^2`, which Keras's PyTorch and NumPy
    backends compute and which cancels to a negative number on a (nearly)
    constant channel with a large mean, so that `rsqrt(variance + eps)`
    is NaN. A saturated `tanh` generator's constant image fed to the next
    network (CycleGAN's cycle) is such a channel. Reduced precisions are
    computed in float32.
    """
    dtype = x.dtype
    x = at_least_float32(x)
    mean = ops.mean(x, axis=axes, keepdims=True)
    variance = ops.mean(ops.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = ops.squeeze(mean, axis=axes)
    return ops.cast(mean, dtype), ops.cast(variance, dtype)


@keras_aegan_export("keras_aegan.networks.InstanceNormalization")
class InstanceNormalization(layers.GroupNormalization):
    """Instance normalization (Ulyanov et al. 2016, eq. 2).

    Ulyanov, Vedaldi & Lempitsky, "Instance Normalization: The Missing
    Ingredient for Fast Stylization", 2016: every channel of every image
    is normalized by its own spatial mean and variance,

        y_tijk = (x_tijk - mu_ti) / sqrt(sigma_ti^2 + epsilon).

    This is `keras.layers.GroupNormalization` with one group per channel
    (`groups=-1`), its variance taken by `stable_moments` so that a
    constant channel gives zeros on every backend, not NaN (Keras 3.15's
    PyTorch backend computes `E[x^2] - E[x]^2`). With `groups=1`, as some
    Keras examples write it, all channels share one mean and variance:
    that is layer normalization.

    Args:
        epsilon: float. Added to the variance. Defaults to `1e-5`.
        center: bool. Whether to learn a per-channel offset. Defaults to
            `False`, as the CycleGAN and pix2pix reference code
            (`InstanceNorm2d(affine=False)`).
        scale: bool. Whether to learn a per-channel scale. Defaults to
            `False`.
        **kwargs: the other arguments of `keras.layers.GroupNormalization`
            but `groups`.
    """

    def __init__(self, epsilon=1e-5, center=False, scale=False, **kwargs):
        groups = kwargs.pop("groups", -1)
        if groups != -1:
            raise ValueError(
                "Expected InstanceNormalization with one group per channel "
                f"(groups=-1). Received groups={groups}; use "
                "keras.layers.GroupNormalization for other groupings."
            )
        super().__init__(
            groups=-1, epsilon=epsilon, center=center, scale=scale, **kwargs
        )

    def _apply_normalization(self, reshaped_inputs, input_shape):
        # GroupNormalization's own normalization, with stable moments.
        dtype = reshaped_inputs.dtype
        x = at_least_float32(reshaped_inputs)
        axes = list(range(1, len(x.shape)))
        axes.pop(-2 if self.axis == -1 else self.axis - 1)
        mean, variance = stable_moments(x, axes, keepdims=True)
        inv = ops.rsqrt(variance + self.epsilon)
        shape = self._create_broadcast_shape(input_shape)
        if self.scale:
            inv = inv * ops.cast(ops.reshape(self.gamma, shape), x.dtype)
        offset = -mean * inv
        if self.center:
            offset = offset + ops.cast(ops.reshape(self.beta, shape), x.dtype)
        return ops.cast(x * inv + offset, dtype)

    def get_config(self):
        config = super().get_config()
        # One group per channel, whatever the channels: not an argument.
        config.pop("groups")
        return config


def instance_normalization(name=None, affine=False, epsilon=1e-5):
    """An `InstanceNormalization` layer (Ulyanov et al. 2016, eq. 2).

    Args:
        name: str or None. Layer name.
        affine: bool. Whether to learn a per-channel scale and offset after
            the normalization. Defaults to `False`, as the CycleGAN and
            pix2pix reference code (`InstanceNorm2d(affine=False)`).
        epsilon: float. Added to the variance. Defaults to `1e-5`.

    Returns:
        An `InstanceNormalization` layer.
    """
    return InstanceNormalization(
        epsilon=epsilon, center=affine, scale=affine, name=name
    )


@keras_aegan_export("keras_aegan.networks.ReflectionPadding2D")
class ReflectionPadding2D(layers.Layer):
    """Pads the height and width of NHWC images by reflection.

    The border is mirrored without repeating the edge pixel (`numpy.pad`
    mode `"reflect"`), as the ResNet generators of Johnson et al. 2016 and
    Zhu et al. 2017 do before their convolutions to avoid border artifacts.

    Args:
        padding: int or tuple of 2 ints. Rows and columns added on each
            side. Defaults to 1.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, int):
            padding = (padding, padding)
        self.padding = tuple(int(p) for p in padding)
        if len(self.padding) != 2 or min(self.padding) < 0:
            raise ValueError(
                "Expected padding as a non-negative int or a pair of them. "
                f"Received padding={padding!r}."
            )

    def call(self, inputs):
        rows, cols = self.padding
        return ops.pad(
            inputs, ((0, 0), (rows, rows), (cols, cols), (0, 0)), "reflect"
        )

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        rows, cols = self.padding
        return (
            batch,
            None if height is None else height + 2 * rows,
            None if width is None else width + 2 * cols,
            channels,
        )

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        return config


@keras_aegan_export("keras_aegan.networks.InputResidual")
class InputResidual(layers.Layer):
    """Adds a network's output to the image its input already holds.

    Global residual learning (Kim, Lee and Lee, "Accurate Image
    Super-Resolution Using Very Deep Convolutional Networks", CVPR 2016,
    section 3.1): the network predicts `r` and the layer returns
    `clip(base(x) + r, low, high)`, where `base(x)` is the obvious answer
    the input already contains: the input itself when it has the output's
    channels (the bicubic image of super-resolution), its first channels
    when it has more (the filled image of inpainting, before its mask),
    and a grey input repeated when it has one (colorization). A network
    whose `r` is zero is the baseline, so training starts from it and
    learns the correction.

    Args:
        channels: int. Channels of the output.
        pixel_range: tuple. `(low, high)` the sum is clipped to. Defaults
            to `(-1.0, 1.0)`.

    Call arguments:
        inputs: `(x, r)`: the network's input and its output of `channels`
            channels.
    """

    def __init__(self, channels, pixel_range=(-1.0, 1.0), **kwargs):
        super().__init__(**kwargs)
        self.channels = int(channels)
        self.pixel_range = tuple(float(v) for v in pixel_range)
        if self.channels < 1 or len(self.pixel_range) != 2:
            raise ValueError(
                "Expected channels >= 1 and pixel_range=(low, high). "
                f"Received channels={channels!r}, "
                f"pixel_range={pixel_range!r}."
            )

    def base(self, x):
        """The image `x` already holds, with the output's channels."""
        have = x.shape[-1]
        if have == self.channels or have > self.channels:
            return x[..., : self.channels]
        if have == 1:
            return ops.repeat(x, self.channels, axis=-1)
        raise ValueError(
            f"InputResidual expected an input with 1 or at least "
            f"{self.channels} channels. Received {have}."
        )

    def call(self, inputs):
        x, residual = inputs
        base = ops.cast(self.base(x), residual.dtype)
        return ops.clip(base + residual, *self.pixel_range)

    def compute_output_shape(self, input_shape):
        return input_shape[1]

    def get_config(self):
        config = super().get_config()
        config.update(
            {"channels": self.channels, "pixel_range": self.pixel_range}
        )
        return config


def normal_init(seed=None):
    """N(0, 0.02) weights, the initialization of DCGAN (Radford et al. 2016,
    section 4: "a zero-centered Normal distribution with standard deviation
    0.02"), pix2pix (Isola et al. 2017, section 6.2) and CycleGAN (Zhu et
    al. 2017, section 7.1)."""
    return keras.initializers.RandomNormal(stddev=0.02, seed=seed)


NORMS = ("instance", "batch", None)


def check_norm(norm):
    """Checks that `norm` names one of `NORMS`."""
    if norm not in NORMS:
        raise ValueError(f"Expected norm in {NORMS}. Received norm={norm!r}.")


def norm_layer(norm, name):
    """The normalization layer that `norm` names: instance normalization, or
    batch normalization synchronized across replicas with the momentum 0.9
    and epsilon 1e-5 of the pix2pix and CycleGAN reference code (PyTorch's
    defaults)."""
    check_norm(norm)
    if norm == "instance":
        return instance_normalization(name=name)
    if norm == "batch":
        return SyncBatchNormalization(momentum=0.9, epsilon=1e-5, name=name)
    return None


def _subpixel_taps(kernel_size, stride):
    """Splits one axis of a "same" transposed convolution into phases.

    A transposed convolution with kernel size `K`, stride `s` and "same"
    padding (`p = (K - s) // 2` before) computes

        y[s * m + r] = sum_k x[m - (k - r - p) / s] * w[k]

    over the taps `k` with `k = r + p (mod s)`. With the kernel padded by
    zero taps to `T * s` taps, `T = ceil(K / s)`, every output phase `r`
    uses `T` consecutive inputs, so it is a `T`-tap convolution of the
    input with taps `w[k(r, t)]`. One convolution of the padded input
    computes all phases side by side; each phase then starts at its own
    offset.

    Returns:
        A tuple `(taps, pad, starts)`: `taps[r][t]` is the kernel index of
        tap `t` in phase `r` (indices from `K` on are the zero taps), `pad`
        the `(before, after)` padding of the input and `starts[r]` the
        first output row of phase `r`.
    """
    num_taps = -(-kernel_size // stride)
    before = (kernel_size - stride) // 2
    last = [(r + before) // stride for r in range(stride)]
    taps = [
        [
            r + before - stride * (last[r] - num_taps + 1 + t)
            for t in range(num_taps)
        ]
        for r in range(stride)
    ]
    pad = (num_taps - 1 - last[0], last[-1])
    starts = [d - last[0] for d in last]
    return taps, pad, starts


@keras_aegan_export("keras_aegan.networks.SubpixelConv2DTranspose")
class SubpixelConv2DTranspose(layers.Conv2DTranspose):
    """`keras.layers.Conv2DTranspose` computed as a sub-pixel convolution.

    The same layer, weights and outputs as `Conv2DTranspose`, computed
    faster: a stride-`s` transposed convolution splits exactly into `s * s`
    output phases, each an ordinary convolution of the input with a subset
    of the kernel's taps (the phase decomposition of Shi et al., "Real-Time
    Single Image and Video Super-Resolution Using an Efficient Sub-Pixel
    Convolutional Neural Network", CVPR 2016, section 2.2, and Odena et al.,
    "Deconvolution and Checkerboard Artifacts", Distill 2016). The layer
    rearranges its `(K, K, filters, channels)` kernel into one `(ceil(K/s),
    ceil(K/s), channels, s * s * filters)` convolution (with zero taps where
    `s` does not divide `K`), runs it, and interleaves the phases (depth to
    space).

    The gradient of XLA's CPU transposed convolution is slow: for the
    DCGAN generator's `Conv2DTranspose(128, 4, 2)` on JAX, forward plus
    backward takes several times longer than this formulation
    (`bench/upsampling.py`). The arithmetic is the same, so a saved
    `Conv2DTranspose` kernel gives the same outputs up to float rounding
    (`tests/networks/test_networks.py`).

    Layers it cannot split (padding `"valid"`, `output_padding`, dilation,
    `channels_first`, or a kernel smaller than the stride) compute
    `Conv2DTranspose` as it is.

    Args:
        subpixel: bool or None. Whether to compute the sub-pixel
            formulation. `None` (the default) uses it on the backends where
            it is faster (`training.prefers_subpixel_conv_transpose()`:
            JAX); `True` or `False` forces one formulation.
        **kwargs: the arguments of `keras.layers.Conv2DTranspose`.
    """

    def __init__(self, *args, subpixel=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subpixel not in (None, True, False):
            raise ValueError(
                "Expected subpixel=None, True or False. "
                f"Received subpixel={subpixel!r}."
            )
        self.subpixel = subpixel

    def _phase_plan(self):
        subpixel = self.subpixel
        if subpixel is None:
            subpixel = training.prefers_subpixel_conv_transpose()
        if (
            not subpixel
            or self.padding != "same"
            or self.output_padding is not None
            or tuple(self.dilation_rate) != (1, 1)
            or self.data_format != "channels_last"
            or tuple(self.strides) == (1, 1)
            or any(
                k < s
                for k, s in zip(self.kernel_size, self.strides, strict=True)
            )
        ):
            return None
        return [
            _subpixel_taps(k, s)
            for k, s in zip(self.kernel_size, self.strides, strict=True)
        ]

    def _subpixel_transpose(self, inputs, plan):
        (taps_h, pad_h, starts_h), (taps_w, pad_w, starts_w) = plan
        stride_h, stride_w = self.strides
        num_h, num_w = len(taps_h[0]), len(taps_w[0])
        channels = self.kernel.shape[-1]
        kernel_h, kernel_w = self.kernel_size
        # Zero taps up to a multiple of the stride, then
        # (K_h, K_w, F, C) -> (s_h, T_h, s_w, T_w, F, C) by tap gathering.
        kernel = ops.pad(
            self.kernel,
            (
                (0, stride_h * num_h - kernel_h),
                (0, stride_w * num_w - kernel_w),
                (0, 0),
                (0, 0),
            ),
        )
        kernel = ops.take(kernel, sum(taps_h, []), axis=0)
        kernel = ops.take(kernel, sum(taps_w, []), axis=1)
        kernel = ops.reshape(
            kernel,
            (stride_h, num_h, stride_w, num_w, self.filters, channels),
        )
        kernel = ops.reshape(
            ops.transpose(kernel, (1, 3, 5, 0, 2, 4)),
            (num_h, num_w, channels, stride_h * stride_w * self.filters),
        )
        padded = ops.pad(inputs, ((0, 0), pad_h, pad_w, (0, 0)))
        phases = ops.conv(padded, ops.cast(kernel, inputs.dtype))
        shape = ops.shape(inputs)
        height, width = shape[1], shape[2]
        rows = []
        for r_h in range(stride_h):
            row = []
            for r_w in range(stride_w):
                group = (r_h * stride_w + r_w) * self.filters
                row.append(
                    phases[
                        :,
                        starts_h[r_h] : starts_h[r_h] + height,
                        starts_w[r_w] : starts_w[r_w] + width,
                        group : group + self.filters,
                    ]
                )
            rows.append(ops.stack(row, axis=3))
        outputs = ops.stack(rows, axis=2)
        return ops.reshape(
            outputs,
            (-1, height * stride_h, width * stride_w, self.filters),
        )

    def call(self, inputs):
        plan = self._phase_plan()
        if plan is None:
            return super().call(inputs)
        outputs = self._subpixel_transpose(inputs, plan)
        if self.use_bias:
            outputs = ops.add(outputs, ops.cast(self.bias, outputs.dtype))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def get_config(self):
        config = super().get_config()
        config["subpixel"] = self.subpixel
        return config


def plain_conv_transpose(network):
    """A copy of `network` with `keras.layers.Conv2DTranspose` layers.

    Every `SubpixelConv2DTranspose` becomes the `Conv2DTranspose` it
    computes, with the same config and weights, so the copy gives the
    same outputs (up to float rounding) and loads without keras_aegan, for
    instance to export a generator to plain Keras.

    Args:
        network: keras.Model. A functional or sequential network.

    Returns:
        A new `keras.Model` with `network`'s weights.
    """

    def clone(layer):
        if isinstance(layer, SubpixelConv2DTranspose):
            config = layer.get_config()
            config.pop("subpixel")
            return layers.Conv2DTranspose.from_config(config)
        return layer.__class__.from_config(layer.get_config())

    plain = keras.models.clone_model(network, clone_function=clone)
    plain.set_weights(network.get_weights())
    return plain


def num_resolution_stages(image_shape, max_stages=4, min_size=4):
    """Number of stride-2 stages from `image_shape` down to a small grid.

    The largest `n <= max_stages` such that height and width are both
    divisible by `2**n` and the smallest grid is at least `min_size` wide:
    2 for 28x28 (7x7), 3 for 32x32 (4x4), 4 for 64x64 (4x4).

    Args:
        image_shape: tuple. `(height, width, channels)`.
        max_stages: int. Upper bound on the number of stages. Defaults to 4.
        min_size: int. Smallest spatial size. Defaults to 4.
    """
    check_image_shape(image_shape)
    height, width = image_shape[0], image_shape[1]
    stages = 0
    while stages < max_stages:
        factor = 2 ** (stages + 1)
        if height % factor or width % factor:
            break
        if height // factor < min_size or width // factor < min_size:
            break
        stages += 1
    if stages == 0:
        raise ValueError(
            "Expected an image height and width divisible by 2 and at least "
            f"{2 * min_size} pixels. Received image_shape={image_shape}."
        )
    return stages


@keras_aegan_export("keras_aegan.networks.Maxout")
class Maxout(layers.Layer):
    """Maxout units (Goodfellow et al., "Maxout Networks", ICML 2013, eq. 1).

    `h_i(x) = max_j (x W_ij + b_ij)` over `pieces` affine pieces per unit.

    Args:
        units: int. Number of output units.
        pieces: int. Affine pieces per unit. Defaults to 5.
        kernel_initializer: str or initializer. Defaults to
            `"glorot_uniform"`.
    """

    def __init__(
        self, units, pieces=5, kernel_initializer="glorot_uniform", **kwargs
    ):
        super().__init__(**kwargs)
        self.units = int(units)
        self.pieces = int(pieces)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units * self.pieces),
            initializer=self.kernel_initializer,
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.units * self.pieces,), initializer="zeros", name="bias"
        )

    def call(self, inputs):
        pieces = ops.matmul(inputs, self.kernel) + self.bias
        pieces = ops.reshape(pieces, (-1, self.units, self.pieces))
        return ops.max(pieces, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "pieces": self.pieces,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
            }
        )
        return config
