"""Generators and discriminators for unpaired image-to-image translation.

The ResNet generator and the PatchGAN discriminator of CycleGAN (Zhu et al.
2017, appendix 7.2), and the encoder-decoder networks of DiscoGAN (Kim et
al. 2017, section 4), Pix2Pix's U-Net and random jitter (Isola et al.
2017, section 6.2). All are functional `keras.Model`s on NHWC images in
[-1, 1].
"""

import keras
from keras import layers

from keras_aegan.networks.layers import InputResidual
from keras_aegan.networks.layers import ReflectionPadding2D
from keras_aegan.networks.layers import SubpixelConv2DTranspose
from keras_aegan.networks.layers import check_norm
from keras_aegan.networks.layers import norm_layer
from keras_aegan.networks.layers import normal_init
from keras_aegan.validation import check_image_shape
from keras_aegan.validation import check_image_size


def _check_divisible(image_shape, stages, what):
    factor = 2**stages
    if image_shape[0] % factor or image_shape[1] % factor:
        raise ValueError(
            f"Expected an image height and width divisible by {factor} for "
            f"{stages} {what}. Received image_shape={image_shape}."
        )


def _conv_norm_act(x, filters, kernel, strides, padding, norm, name):
    x = layers.Conv2D(
        filters,
        kernel,
        strides=strides,
        padding=padding,
        use_bias=norm is None,
        kernel_initializer=normal_init(),
        name=f"{name}_conv",
    )(x)
    if norm is not None:
        x = norm_layer(norm, f"{name}_norm")(x)
    return layers.ReLU(name=f"{name}_act")(x)


def resnet_generator(
    image_shape=(256, 256, 3),
    out_channels=None,
    filters=64,
    num_blocks=9,
    num_downsamples=2,
    norm="instance",
    upsampling="transpose",
    name="resnet_generator",
):
    """The ResNet generator of CycleGAN (Zhu et al. 2017, appendix 7.2).

    Zhu, Park, Isola & Efros, "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", ICCV 2017, after the network of
    Johnson, Alahi & Fei-Fei, "Perceptual Losses for Real-Time Style
    Transfer", ECCV 2016. With `filters=64`, `num_blocks=9`:

        c7s1-64, d128, d256, R256 x 9, u128, u64, c7s1-3

    `c7s1-k`: 7x7 convolution, stride 1, k filters, after reflection
    padding; `dk`: 3x3 convolution, stride 2; `Rk`: residual block of two
    3x3 convolutions with reflection padding; `uk`: 3x3 fractional-strided
    convolution, stride 1/2. Every convolution but the last is followed by
    instance normalization and ReLU; the last by `tanh`. Weights come from
    N(0, 0.02).

    `upsampling="resize"` replaces each `uk` by a nearest-neighbour 2x
    upsampling and a 3x3 convolution of stride 1 (Odena, Dumoulin & Olah,
    "Deconvolution and Checkerboard Artifacts", Distill 2016): a stride-2
    transposed 3x3 kernel overlaps unevenly on even and odd output pixels,
    which draws a checkerboard; the resize-convolution does not.

    Args:
        image_shape: tuple. `(height, width, channels)`; height and width
            divisible by `2**num_downsamples`. Defaults to `(256, 256, 3)`.
        out_channels: int or None. Output channels; None keeps the input's.
            Defaults to None.
        filters: int. Filters of the first layer; each downsampling doubles
            them. Defaults to 64.
        num_blocks: int. Residual blocks: 9 for 256x256 images, 6 for
            128x128 in the paper. Defaults to 9.
        num_downsamples: int. Stride-2 stages down and up. Defaults to 2.
        norm: str or None. `"instance"`, `"batch"` or None. Defaults to
            `"instance"`.
        upsampling: str. `"transpose"` (the paper's fractional-strided
            convolutions) or `"resize"` (nearest-neighbour upsampling, then
            convolution). Defaults to `"transpose"`.
        name: str. Model name. Defaults to `"resnet_generator"`.

    Returns:
        A functional `keras.Model` from images to images in [-1, 1].

    Example:
    ```python
    g = keras_aegan.networks.resnet_generator((64, 64, 3), filters=16,
                                              num_blocks=6)
    ```
    """
    check_image_shape(image_shape)
    check_norm(norm)
    if num_blocks < 0 or num_downsamples < 0:
        raise ValueError(
            "Expected num_blocks >= 0 and num_downsamples >= 0. Received "
            f"num_blocks={num_blocks}, num_downsamples={num_downsamples}."
        )
    _check_divisible(image_shape, num_downsamples, "downsamplings")
    if upsampling not in ("transpose", "resize"):
        raise ValueError(
            'Expected upsampling "transpose" or "resize". Received '
            f"upsampling={upsampling!r}."
        )
    out_channels = out_channels or image_shape[-1]
    images = keras.Input(image_shape, name="images")
    x = ReflectionPadding2D(3, name="c7s1_pad")(images)
    x = _conv_norm_act(x, filters, 7, 1, "valid", norm, "c7s1")
    width = filters
    for i in range(num_downsamples):
        width *= 2
        x = _conv_norm_act(x, width, 3, 2, "same", norm, f"down{i}")
    for i in range(num_blocks):
        y = x
        for j in range(2):
            y = ReflectionPadding2D(1, name=f"res{i}_pad{j}")(y)
            y = layers.Conv2D(
                width,
                3,
                use_bias=norm is None,
                kernel_initializer=normal_init(),
                name=f"res{i}_conv{j}",
            )(y)
            if norm is not None:
                y = norm_layer(norm, f"res{i}_norm{j}")(y)
            if j == 0:
                y = layers.ReLU(name=f"res{i}_relu")(y)
        x = layers.Add(name=f"res{i}_add")([x, y])
    for i in range(num_downsamples):
        width //= 2
        if upsampling == "resize":
            x = layers.UpSampling2D(name=f"up{i}_resize")(x)
            x = _conv_norm_act(x, width, 3, 1, "same", norm, f"up{i}")
            continue
        x = SubpixelConv2DTranspose(
            width,
            3,
            strides=2,
            padding="same",
            use_bias=norm is None,
            kernel_initializer=normal_init(),
            name=f"up{i}_conv",
        )(x)
        if norm is not None:
            x = norm_layer(norm, f"up{i}_norm")(x)
        x = layers.ReLU(name=f"up{i}_act")(x)
    x = ReflectionPadding2D(3, name="out_pad")(x)
    outputs = layers.Conv2D(
        out_channels,
        7,
        activation="tanh",
        kernel_initializer=normal_init(),
        name="outputs",
    )(x)
    return keras.Model(images, outputs, name=name)


def patchgan_discriminator(
    image_shape=(256, 256, 3),
    filters=64,
    num_layers=3,
    norm="instance",
    name="patchgan_discriminator",
):
    """The PatchGAN discriminator (Isola et al. 2017; Zhu et al. 2017).

    Isola, Zhu, Zhou & Efros, "Image-to-Image Translation with Conditional
    Adversarial Networks", CVPR 2017, section 3.2.2, and CycleGAN's
    appendix 7.2: with `filters=64`, `num_layers=3`,

        C64 - C128 - C256 - C512 - one output channel

    `Ck`: 4x4 convolution with k filters, instance normalization (none on
    C64) and LeakyReLU(0.2); `C64` to `C256` have stride 2, `C512` and
    the output layer stride 1. Each output scores one 70x70 patch of the
    input as real or fake; the outputs are raw scores (the least-squares
    loss of CycleGAN, or logits). With "same" padding the map of a 256x256
    image is 32x32 (the reference's explicit padding gives 30x30; the
    receptive field is the same).

    Args:
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(256, 256, 3)`.
        filters: int. Filters of the first layer, doubled per layer up to
            8x. Defaults to 64.
        num_layers: int. Stride-2 layers after the first one, minus one
            (3 gives the 70x70 PatchGAN). Defaults to 3.
        norm: str or None. Defaults to `"instance"`.
        name: str. Model name. Defaults to `"patchgan_discriminator"`.

    Returns:
        A functional `keras.Model` from images to a map of patch scores
        `(batch, h, w, 1)`.
    """
    check_image_shape(image_shape)
    check_norm(norm)
    if num_layers < 1:
        raise ValueError(
            f"Expected num_layers >= 1. Received num_layers={num_layers}."
        )
    _check_divisible(image_shape, num_layers, "stride-2 layers")
    images = keras.Input(image_shape, name="images")
    x = layers.Conv2D(
        filters,
        4,
        strides=2,
        padding="same",
        kernel_initializer=normal_init(),
        name="c0_conv",
    )(images)
    x = layers.LeakyReLU(negative_slope=0.2, name="c0_act")(x)
    for i in range(1, num_layers + 1):
        width = filters * min(2**i, 8)
        x = layers.Conv2D(
            width,
            4,
            strides=2 if i < num_layers else 1,
            padding="same",
            use_bias=norm is None,
            kernel_initializer=normal_init(),
            name=f"c{i}_conv",
        )(x)
        if norm is not None:
            x = norm_layer(norm, f"c{i}_norm")(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"c{i}_act")(x)
    outputs = layers.Conv2D(
        1,
        4,
        padding="same",
        kernel_initializer=normal_init(),
        name="scores",
    )(x)
    return keras.Model(images, outputs, name=name)


def _discogan_encoder(x, filters, num_stages, prefix):
    # 4x4 stride-2 convolutions, batch norm but on the first, LeakyReLU(0.2).
    for i in range(num_stages):
        x = layers.Conv2D(
            filters * 2**i,
            4,
            strides=2,
            padding="same",
            use_bias=i == 0,
            kernel_initializer=normal_init(),
            name=f"{prefix}{i}_conv",
        )(x)
        if i > 0:
            x = norm_layer("batch", f"{prefix}{i}_norm")(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"{prefix}{i}_act")(x)
    return x


def discogan_generator(
    image_shape=(64, 64, 3),
    out_channels=None,
    filters=64,
    num_stages=4,
    name="discogan_generator",
):
    """The encoder-decoder generator of DiscoGAN (Kim et al. 2017).

    Kim, Cha, Kim, Lee & Kim, "Learning to Discover Cross-Domain Relations
    with Generative Adversarial Networks", ICML 2017, section 4: an encoder
    of 4x4 stride-2 convolutions with LeakyReLU(0.2) and batch
    normalization (none on the first), then a decoder of 4x4 stride-2
    transposed convolutions with batch normalization and ReLU, ending in
    `tanh`. For 64x64 images and `filters=64`: 64-128-256-512 down to 4x4,
    then 256-128-64-3 back up.

    Args:
        image_shape: tuple. Defaults to `(64, 64, 3)`.
        out_channels: int or None. None keeps the input's channels.
        filters: int. Filters of the first layer. Defaults to 64.
        num_stages: int. Stride-2 stages down and up. Defaults to 4.
        name: str. Defaults to `"discogan_generator"`.
    """
    check_image_shape(image_shape)
    _check_divisible(image_shape, num_stages, "stages")
    out_channels = out_channels or image_shape[-1]
    images = keras.Input(image_shape, name="images")
    x = _discogan_encoder(images, filters, num_stages, "down")
    for i in reversed(range(num_stages - 1)):
        x = SubpixelConv2DTranspose(
            filters * 2**i,
            4,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=normal_init(),
            name=f"up{i}_conv",
        )(x)
        x = norm_layer("batch", f"up{i}_norm")(x)
        x = layers.ReLU(name=f"up{i}_act")(x)
    outputs = SubpixelConv2DTranspose(
        out_channels,
        4,
        strides=2,
        padding="same",
        activation="tanh",
        kernel_initializer=normal_init(),
        name="outputs",
    )(x)
    return keras.Model(images, outputs, name=name)


def discogan_discriminator(
    image_shape=(64, 64, 3),
    filters=64,
    num_stages=4,
    name="discogan_discriminator",
):
    """The discriminator of DiscoGAN (Kim et al. 2017, section 4).

    4x4 stride-2 convolutions with batch normalization (none on the first)
    and LeakyReLU(0.2), then a dense layer to one logit per image (the
    paper's final 4x4 valid convolution on the 4x4 grid of 64x64 inputs;
    the paper applies a sigmoid, the loss takes logits here).

    Args:
        image_shape: tuple. Defaults to `(64, 64, 3)`.
        filters: int. Filters of the first layer. Defaults to 64.
        num_stages: int. Stride-2 stages. Defaults to 4.
        name: str. Defaults to `"discogan_discriminator"`.
    """
    check_image_shape(image_shape)
    _check_divisible(image_shape, num_stages, "stages")
    images = keras.Input(image_shape, name="images")
    x = _discogan_encoder(images, filters, num_stages, "c")
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(1, kernel_initializer=normal_init(), name="logit")(x)
    return keras.Model(images, outputs, name=name)


def unet(
    image_shape=(256, 256, 3),
    out_channels=3,
    filters=(64, 128, 256),
    norm="instance",
    dropout=0.0,
    dropout_stages=3,
    final_activation="tanh",
    residual=False,
    name="unet",
):
    """U-Net: an hourglass encoder-decoder with skip connections.

    Ronneberger et al., "U-Net", MICCAI 2015, figure 1, in the form of the
    pix2pix generator (Isola et al., CVPR 2017, section 3.2.1 and 6.1.1):
    each encoder stage is a 4x4 stride-2 convolution, normalization (none
    on the first and the innermost stage) and LeakyReLU(0.2); each decoder
    stage is a 4x4 stride-2 transposed convolution, normalization and
    ReLU, whose output is concatenated with the encoder stage of the same
    resolution. The
    encoder halves the resolution `len(filters)` times; the last transposed
    convolution maps back to `out_channels` at full resolution.

    Args:
        image_shape: tuple. Input `(height, width, channels)`; height and
            width must be divisible by `2**len(filters)`. Defaults to
            `(256, 256, 3)`.
        out_channels: int. Channels of the output image. Defaults to 3.
        filters: tuple of int. Filters of the encoder stages, from the
            finest to the coarsest; the decoder mirrors them. Defaults to
            `(64, 128, 256)`.
        norm: str or None. `"instance"` (CycleGAN, Zhu et al. 2017),
            `"batch"` (pix2pix) or `None`. Defaults to `"instance"`.
        dropout: float. Dropout rate of the innermost decoder stages
            (pix2pix uses 0.5 as its noise source). Defaults to 0.0.
        dropout_stages: int. How many decoder stages, from the innermost,
            get dropout: the three `CD512` stages of pix2pix's decoder
            (section 6.1.1). Defaults to 3.
        final_activation: str or None. Output activation. Defaults to
            `"tanh"` (images in [-1, 1]).
        residual: bool. Add the output to the image the input holds
            (`InputResidual`: global residual learning, Kim et al. 2016),
            clipped to [-1, 1], so that the untrained network starts near
            the task's baseline. Not in pix2pix. Defaults to False.
        name: str. Model name. Defaults to `"unet"`.

    Example:
    ```python
    net = keras_aegan.networks.unet((64, 64, 3), 3, filters=(32, 64, 128))
    fake = net(images_in_minus1_1)  # (batch, 64, 64, 3) in [-1, 1]
    ```
    """
    check_image_shape(image_shape)
    check_norm(norm)
    if not filters:
        raise ValueError("Expected at least one encoder stage in `filters`.")
    factor = 2 ** len(filters)
    if image_shape[0] % factor or image_shape[1] % factor:
        raise ValueError(
            f"Expected an image height and width divisible by {factor} for "
            f"{len(filters)} stages. Received image_shape={image_shape}."
        )
    images = keras.Input(image_shape, name="images")
    x = images
    skips = []
    innermost = len(filters) - 1
    for stage, f in enumerate(filters):
        # No normalization on the first stage (pix2pix) nor on the
        # innermost one, whose grid can be 1x1: instance norm over one
        # pixel would output zeros whatever the input.
        normalized = norm is not None and 0 < stage < innermost
        x = layers.Conv2D(
            f,
            4,
            strides=2,
            padding="same",
            use_bias=not normalized,
            kernel_initializer=normal_init(),
            name=f"down{stage}_conv",
        )(x)
        if normalized:
            x = norm_layer(norm, f"down{stage}_norm")(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"down{stage}_act")(x)
        skips.append(x)
    # Decoder: from the coarsest grid back up; each stage but the last is
    # followed by the skip of the matching resolution.
    for stage in reversed(range(len(filters) - 1)):
        x = SubpixelConv2DTranspose(
            filters[stage],
            4,
            strides=2,
            padding="same",
            use_bias=norm is None,
            kernel_initializer=normal_init(),
            name=f"up{stage}_conv",
        )(x)
        if norm is not None:
            x = norm_layer(norm, f"up{stage}_norm")(x)
        if dropout and stage >= len(filters) - 1 - dropout_stages:
            x = layers.Dropout(dropout, name=f"up{stage}_dropout")(x)
        x = layers.ReLU(name=f"up{stage}_act")(x)
        x = layers.Concatenate(name=f"up{stage}_skip")([x, skips[stage]])
    outputs = SubpixelConv2DTranspose(
        out_channels,
        4,
        strides=2,
        padding="same",
        activation=final_activation,
        kernel_initializer=normal_init(),
        name="outputs",
    )(x)
    if residual:
        outputs = InputResidual(out_channels, name="residual")(
            [images, outputs]
        )
    return keras.Model(images, outputs, name=name)


JITTER_LIBRARIES = ("keras", "keras_cv")


def random_jitter(
    image_size, scale=286 / 256, flip=True, library="keras", seed=None
):
    """The paper's random jitter as one layer, for `Pix2Pix(augment=...)`.

    "Random jitter was applied by resizing the 256×256 input images to
    286×286 and then randomly cropping back to size 256×256", with random
    mirroring (section 6.2). `Pix2Pix` applies its `augment` to the input
    and the target as one image, so both get the same crop and flip.

    Args:
        image_size: int or tuple of 2 ints. The images' size `(h, w)`.
        scale: float. How much larger the resized image is. Defaults to
            286 / 256, the paper's.
        flip: bool. Mirror left-right at random. Defaults to True.
        library: str. `"keras"`: Keras core `Resizing`, `RandomCrop` and
            `RandomFlip`, which run on every backend. `"keras_cv"`:
            keras-cv's `RandomCropAndResize` (a crop of `1 / scale` of
            each side, resized back) and `RandomFlip`; the same transform,
            for the TensorFlow and PyTorch backends only (keras-cv's
            TensorFlow ops cannot run inside a JAX step). Needs
            `pip install keras-aegan[cv]`. Defaults to `"keras"`.
        seed: int or None. Defaults to None.

    Returns:
        A `keras.Sequential`.
    """
    if image_size is None:
        raise ValueError(
            "Expected image_size, an int or (height, width). Received None."
        )
    height, width = check_image_size(image_size)
    if library not in JITTER_LIBRARIES:
        raise ValueError(
            f"Expected library in {JITTER_LIBRARIES}. Received {library!r}."
        )
    if not scale >= 1.0:
        raise ValueError(f"Expected scale >= 1. Received scale={scale!r}.")
    if library == "keras_cv":
        try:
            import keras_cv
        except ImportError as error:
            raise ImportError(
                "random_jitter(library='keras_cv') needs keras-cv: "
                "pip install keras-aegan[cv]"
            ) from error
        side = 1.0 / scale
        layers = [
            keras_cv.layers.RandomCropAndResize(
                (height, width),
                crop_area_factor=(side * side, side * side),
                aspect_ratio_factor=(1.0, 1.0),
                seed=seed,
            )
        ]
        if flip:
            layers.append(keras_cv.layers.RandomFlip("horizontal", seed=seed))
    else:
        layers = [
            keras.layers.Resizing(
                round(height * scale), round(width * scale), "bilinear"
            ),
            keras.layers.RandomCrop(height, width, seed=seed),
        ]
        if flip:
            layers.append(keras.layers.RandomFlip("horizontal", seed=seed))
    return keras.Sequential(layers, name=f"random_jitter_{library}")
