"""U-Net hourglass encoder-decoder for image-to-image models."""

import keras
from keras import layers

from keras_aegan.networks.layers import SubpixelConv2DTranspose
from keras_aegan.networks.layers import check_norm
from keras_aegan.networks.layers import norm_layer
from keras_aegan.networks.layers import normal_init
from keras_aegan.validation import check_image_shape


def unet(
    image_shape=(256, 256, 3),
    out_channels=3,
    filters=(64, 128, 256),
    norm="instance",
    dropout=0.0,
    final_activation="tanh",
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
        final_activation: str or None. Output activation. Defaults to
            `"tanh"` (images in [-1, 1]).
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
        if dropout and stage >= len(filters) - 3:
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
    return keras.Model(images, outputs, name=name)
