"""The presets of `ACGAN`: shipped folders under `keras_aegan/presets/`,
each trained by the recipe in its `zoo/<name>/` card."""

ACGAN_PRESETS = {
    "acgan_mnist": {
        "description": (
            "AC-GAN (Odena et al. 2017) trained on the 60,000 labelled MNIST "
            "training digits, 28x28x1, images in [-1, 1], generator weights "
            "averaged (EMA 0.999); `generate` takes the requested digits as "
            "`labels`."
        ),
        "metadata_sha256": (
            "df76b964e638963765a3e4fb92136eeabb6cd553254f23be300c7cfcc315877f"
        ),
        "path": "acgan_mnist",
    },
}
