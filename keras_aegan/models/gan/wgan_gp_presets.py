"""The presets of `WGANGP`: shipped folders under `keras_aegan/presets/`,
each trained by the recipe in its `zoo/<name>/` card."""

WGANGP_PRESETS = {
    "wgan_gp_fashion_mnist": {
        "description": (
            "WGAN-GP (Gulrajani et al. 2017) trained on the 60,000 "
            "Fashion-MNIST training images, 28x28x1, images in [-1, 1], "
            "generator weights averaged (EMA 0.999)."
        ),
        "metadata_sha256": (
            "826494166d9590776488adc446e116670415a4c00817d357ca3eecaa7c0d4f42"
        ),
        "path": "wgan_gp_fashion_mnist",
    },
}
