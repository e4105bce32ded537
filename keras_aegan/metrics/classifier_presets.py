"""The presets of the domain classifiers whose features the metrics
compare (`load_domain_classifier`): shipped folders under
`keras_aegan/presets/`, trained by `zoo/train_domain_classifier.py`."""

CLASSIFIER_PRESETS = {
    "mnist_classifier": {
        "description": (
            "Domain classifier for mnist (10000 test images, accuracy "
            "0.9930): the feature extractor of the FD/KID/precision-recall "
            "metrics, not Inception."
        ),
        "metadata_sha256": (
            "6ddfd54facdf8025e20ff64e43283e039f28eb039f823b54347e3fb183ddfb51"
        ),
        "path": "mnist_classifier",
    },
    "fashion_mnist_classifier": {
        "description": (
            "Domain classifier for fashion_mnist (10000 test images, "
            "accuracy 0.9160): the feature extractor of the "
            "FD/KID/precision-recall metrics, not Inception."
        ),
        "metadata_sha256": (
            "9956367a66286e2cd831dfa9dcc9ede650bbbc00951d109f00644397039d4875"
        ),
        "path": "fashion_mnist_classifier",
    },
    "cifar10_classifier": {
        "description": (
            "Domain classifier for cifar10 (10000 test images, accuracy "
            "0.8741): the feature extractor of the FD/KID/precision-recall "
            "metrics, not Inception."
        ),
        "metadata_sha256": (
            "09ee25ce54cbd1c6cf74fdc63031f6e92f99bc9a20d3170fa501ead1f4693411"
        ),
        "path": "cifar10_classifier",
    },
    "horse2zebra_classifier": {
        "description": (
            "Domain classifier for horse2zebra (260 test images, accuracy "
            "0.9269): the feature extractor of the FD/KID/precision-recall "
            "metrics, not Inception."
        ),
        "metadata_sha256": (
            "22d2c63bd252eb7c857e74980601c74a2b64444013982ad7ca04f77b55cbabb8"
        ),
        "path": "horse2zebra_classifier",
    },
}
