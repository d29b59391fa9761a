"""Which callables return a coroutine: the one resolver the value model asks.

Known coroutine callables are `async def` functions and methods of the module, of the project's
own modules it imports (through the project index: found as files under the project roots,
parsed once per process, never imported), the library table, and what the user declares in
the options. Which names hold what is the value model's business (values.py, bindings.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .libraries import COROUTINE_FUNCTIONS, async_methods, canonical_class
from .project import PROJECT
from .pytest_model import Decorated

if TYPE_CHECKING:
    from .context import FileContext

LOCAL_CLASS_PREFIX = "<module>."
"""The type name of an instance of a class of the checked module: `<module>.Client`."""


def is_class_name(name: str) -> bool:
    """`UserService`, `HTTPClient`: by Python's naming convention a class, not a function."""
    return name[:1].isupper() and not name.isupper()


class CoroutineResolver:
    """Answers "does calling this return a coroutine?" for one file."""

    def __init__(self, context: FileContext) -> None:
        """Keeps what it needs of the context, not the context: no reference cycle, so each
        file's objects go as soon as the file is checked (a cycle per file made the garbage
        collector run full collections over every cached project module, ~40% of a cold run)."""
        self.filename = context.filename
        self.search_roots = context.search_roots
        self.module = context.module
        self.extra_functions = context.settings.coroutine_functions
        self.extra_classes = context.settings.async_classes
        self._answers: dict[str, bool] = {}

    def is_coroutine_function(self, qualified: str) -> bool:
        """A dotted name from the imports: a library, user-declared or project function."""
        known = self._answers.get(qualified)
        if known is None:
            known = self._answers[qualified] = self._is_coroutine_function(qualified)
        return known

    def _is_coroutine_function(self, qualified: str) -> bool:
        if qualified in COROUTINE_FUNCTIONS or qualified in self.extra_functions:
            return True
        owner, _, method = qualified.rpartition(".")
        if method in async_methods(canonical_class(owner)):
            return True  # `aiohttp.ClientSession.close`, as a patch target
        if is_class_name(method):
            return False  # a constructor: no module read to learn that
        definition = self.project_definition(qualified)
        return definition is not None and definition.is_coroutine_function

    def project_definition(self, qualified: str) -> Decorated | None:
        return PROJECT.definition(qualified, self.filename, self.search_roots)

    def method_is_coroutine(self, type_name: str, method: str) -> bool:
        key = f"{type_name}#{method}"
        known = self._answers.get(key)
        if known is None:
            known = self._answers[key] = self._method_is_coroutine(type_name, method)
        return known

    def _method_is_coroutine(self, type_name: str, method: str) -> bool:
        if method in async_methods(type_name):
            return True
        if type_name in self.extra_classes:
            return not method.startswith("_")
        if f"{type_name}.{method}" in self.extra_functions:
            return True
        if type_name.startswith(LOCAL_CLASS_PREFIX):
            cls = self.module.class_by_name.get(type_name[len(LOCAL_CLASS_PREFIX) :])
            definition = PROJECT.method(self.module, cls, method, self.search_roots) if cls else None
        else:
            definition = self.project_definition(f"{type_name}.{method}")
        return definition is not None and definition.is_coroutine_function
