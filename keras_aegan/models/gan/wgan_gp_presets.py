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
            "509e23e20687d6fcd7af84b35d5600b3c6ead72f64fb6e2ac601a1c8ca1cf617"
        ),
        "path": "wgan_gp_fashion_mnist",
    },
}
