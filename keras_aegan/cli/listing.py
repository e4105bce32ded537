"""`keras-aegan list`, and the models by command-line name."""

import inspect


def normalize(name):
    return name.lower().replace("-", "").replace("_", "")


def model_classes():
    """The trainable models by command-line name."""
    from keras_aegan import models

    bases = (
        models.GenerativeModel,
        models.AdversarialModel,
        models.UnpairedTranslationModel,
    )
    found = {}
    for name in models.__all__:
        obj = getattr(models, name)
        # Only the model classes; `models` may export constants too.
        if (
            isinstance(obj, type)
            and issubclass(obj, models.GenerativeModel)
            and obj not in bases
        ):
            found[normalize(name)] = obj
    return dict(sorted(found.items()))


def model_class(name):
    classes = model_classes()
    key = normalize(name)
    if key not in classes:
        raise ValueError(
            f"Unknown model {name!r}. Expected one of: {', '.join(classes)}."
        )
    return classes[key]


def run(args=None):
    """Prints the backend, the models, the data sets and the presets."""
    import keras

    from keras_aegan import datasets
    from keras_aegan import presets

    print(f"backend: {keras.backend.backend()}")
    print("models:")
    for name, cls in model_classes().items():
        summary = (inspect.getdoc(cls) or "").splitlines()[0]
        print(f"  {name:<16} {summary}")
    print("datasets:")
    for name in datasets.list_datasets():
        print(f"  {name}")
    print("presets:")
    for name, description in presets.list_presets().items():
        print(f"  {name:<16} {description}")
