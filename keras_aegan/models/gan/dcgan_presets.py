"""The presets of `DCGAN`: shipped folders under `keras_aegan/presets/`,
each trained by the recipe in its `zoo/<name>/` card."""

DCGAN_PRESETS = {
    "dcgan_mnist": {
        "description": (
            "DCGAN (Radford et al. 2016) trained on the 60,000 MNIST "
            "training digits, 28x28x1, images in [-1, 1]."
        ),
        "metadata_sha256": (
            "c69f0f1a1074aeb1496d7a8e7bc9896ea19081ad3ae4ceb81144b14e1162c5ef"
        ),
        "path": "dcgan_mnist",
    },
    "dcgan_cifar10": {
        "description": (
            "DCGAN (Radford et al. 2016) trained on the 50,000 CIFAR-10 "
            "training images (the JPEG-compressed copy), 32x32x3, images in"
            " [-1, 1]."
        ),
        "metadata_sha256": (
            "d6ccb872831c82048e1c67366aa739d5f6c9e99b882f391b8e9b6b2774067bfa"
        ),
        "path": "dcgan_cifar10",
    },
}
