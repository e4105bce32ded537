"""Pix2Pix's random jitter (Isola et al. 2017, section 6.2): resize up, crop
back at random, mirror."""

import keras

from keras_aegan.api_export import keras_aegan_export
from keras_aegan.validation import check_image_size

LIBRARIES = ("keras", "keras_cv")


@keras_aegan_export("keras_aegan.models.random_jitter")
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
    if library not in LIBRARIES:
        raise ValueError(
            f"Expected library in {LIBRARIES}. Received {library!r}."
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
