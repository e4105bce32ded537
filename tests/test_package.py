"""The package's shape: an import graph without cycles, and a public API
that agrees with what the export decorator records."""

import ast
import importlib
import inspect
from pathlib import Path

import keras

import keras_aegan

PACKAGE_DIR = Path(keras_aegan.__file__).parent
PUBLIC_MODULES = (
    "keras_aegan.augment",
    "keras_aegan.metrics",
    "keras_aegan.models",
    "keras_aegan.networks",
    "keras_aegan.schedules",
)


def package_modules():
    """Dotted module name -> source path, for every module of the package."""
    modules = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def import_graph(modules):
    """Module -> the package modules it imports, anywhere in its source
    (imports inside functions count: they are how cycles hide)."""
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.level:
                    raise AssertionError(
                        f"{name} uses a relative import; the package uses "
                        "absolute ones."
                    )
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    targets.add(child if child in modules else node.module)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def find_cycle(graph):
    """One import cycle as a list of modules, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_import_graph_has_no_cycles():
    graph = import_graph(package_modules())
    assert len(graph) > 50
    assert "keras_aegan.models.gan" in graph["keras_aegan.models.dcgan"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_the_cycle_finder_finds_a_cycle():
    # The finder itself must see a cycle, including one through a package.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def exported_classes():
    """Every class the export decorator has seen, by its recorded path."""
    found = {}
    for name in package_modules():
        if name.endswith("__main__"):
            continue  # running it is the command line
        module = importlib.import_module(name)
        for _, symbol in inspect.getmembers(module, inspect.isclass):
            path = symbol.__dict__.get("_keras_aegan_public_path")
            if path is not None:
                found[path] = symbol
    return found


def test_every_exported_path_imports_the_class_it_names():
    found = exported_classes()
    assert "keras_aegan.models.DCGAN" in found
    for path, symbol in found.items():
        module_name, _, name = path.rpartition(".")
        module = importlib.import_module(module_name)
        assert getattr(module, name, None) is symbol, path
        assert name in module.__all__, f"{path} is missing from __all__"


# What Keras rebuilds from a config by registered name. Callbacks, data
# errors and the optimizer group (saved through its model) are not.
SERIALIZABLE = (
    keras.layers.Layer,
    keras.metrics.Metric,
    keras.optimizers.schedules.LearningRateSchedule,
)


def test_every_public_class_is_exported_and_registered():
    # Every serializable class a public module lists in __all__, and every
    # class registered under the package, carries the decorator's path.
    found = {symbol: path for path, symbol in exported_classes().items()}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            symbol = getattr(module, name)
            if inspect.isclass(symbol) and issubclass(symbol, SERIALIZABLE):
                assert symbol in found, f"{module_name}.{name} is not exported"
                assert (
                    keras.saving.get_registered_object(f"keras_aegan>{name}")
                    is symbol
                ), name
    registered = [
        key
        for key in keras.saving.get_custom_objects()
        if key.startswith("keras_aegan>")
    ]
    for key in registered:
        symbol = keras.saving.get_registered_object(key)
        assert symbol in found, f"{key} is registered without the decorator"
