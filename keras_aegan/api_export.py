"""Registration of public classes for Keras serialization."""

import keras

PACKAGE = "keras_aegan"


def keras_aegan_export(path):
    """Registers a class under the `keras_aegan` package for serialization.

    `keras.saving.load_model` finds the class again by its registered name
    `keras_aegan>ClassName`, with no `custom_objects` needed, once
    `keras_aegan` is imported.

    Args:
        path: str. The public path of the symbol, for documentation.
    """

    def decorator(symbol):
        symbol._keras_aegan_public_path = path
        return keras.saving.register_keras_serializable(package=PACKAGE)(symbol)

    return decorator
