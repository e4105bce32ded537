"""The presets of `VQVAE`: shipped folders under `keras_aegan/presets/`,
each trained by the recipe in its `zoo/<name>/` card."""

VQVAE_PRESETS = {
    "vqvae_cifar10": {
        "description": (
            "VQ-VAE (van den Oord et al. 2017) trained on the 50,000 "
            "CIFAR-10 training images (the JPEG-compressed copy), 32x32x3, "
            "images in [0, 1]: an 8x8 grid of codes from a codebook of 512 "
            "64-d codes (EMA updates, dead-code restarts)."
        ),
        "metadata_sha256": (
            "7ccb4be57c3d4962e649a8fb4a8208e28e9b2b081a52e754b8c98bd702c21606"
        ),
        "path": "vqvae_cifar10",
    },
}
