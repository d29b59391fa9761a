"""Which callables return a coroutine: the one resolver the semantic model asks.

Known coroutine callables are `async def` functions and methods of the module, of the project's
own modules it imports (through the project index: found as files under the project roots,
parsed once per process, never imported), the library table, and what the user declares in
the options. Which names hold what is the value model's business (semantic_model.py).
"""

from __future__ import annotations

from .libraries import COROUTINE_FUNCTIONS, canonical_class, library_class
from .library_class import LibraryClass
from .project import MAX_DEPTH, PROJECT
from .module_facts import Decorated, ModuleFacts

LOCAL_CLASS_PREFIX = "<module>."
"""The type name of an instance of a class of the checked module: `<module>.Client`."""


def is_class_name(name: str) -> bool:
    """`UserService`, `HTTPClient`: by Python's naming convention a class, not a function."""
    return name[:1].isupper() and not name.isupper()


class CoroutineResolver:
    """Answers "does calling this return a coroutine?" for one file."""

    def __init__(
        self,
        filename: str,
        search_roots: tuple[str, ...],
        module: ModuleFacts,
        extra_functions: frozenset[str],
        extra_classes: frozenset[str],
    ) -> None:
        """Holds what it needs of a file's context, not the context: no reference cycle, so each
        file's objects go as soon as the file is checked (a cycle per file made the garbage
        collector run full collections over every cached project module, ~40% of a cold run)."""
        self.filename = filename
        self.search_roots = search_roots
        self.module = module
        self.extra_functions = extra_functions
        """Dotted names the user declares coroutine functions (`--coroutine-functions`)."""
        self.extra_classes = extra_classes
        """Classes whose public methods the user declares async (`--async-classes`)."""
        self._answers: dict[str, bool | None] = {}

    def is_coroutine_function(self, qualified: str, async_def: bool = False) -> bool:
        """A dotted name from the imports: a library, user-declared or project function whose
        call gives a coroutine; with `async_def`, only one that is an `async def` (what `patch()`
        replaces with an AsyncMock; a library's plain def returning an awaitable is not)."""
        key = f"{qualified}#async def" if async_def else qualified
        if key not in self._answers:
            self._answers[key] = self._is_coroutine_function(qualified, async_def)
        return self._answers[key] is True

    def _is_coroutine_function(self, qualified: str, async_def: bool) -> bool:
        if qualified in COROUTINE_FUNCTIONS or qualified in self.extra_functions:
            return True
        owner, _, method = qualified.rpartition(".")
        cls = library_class(canonical_class(owner))
        if cls is not None and (cls.method_is_async_def(method) if async_def else cls.method_is_coroutine(method)):
            return True  # `aiohttp.ClientSession.close`, as a patch target
        if is_class_name(method):
            return False  # a constructor: no module read to learn that
        definition = self.project_definition(qualified)
        return definition is not None and definition.is_coroutine_function

    def project_definition(self, qualified: str) -> Decorated | None:
        return PROJECT.definition(qualified, self.filename, self.search_roots)

    def method_is_coroutine(self, type_name: str, method: str, async_def: bool = False) -> bool:
        return self.method_kind(type_name, method, async_def) is True

    def method_kind(self, type_name: str, method: str, async_def: bool = False) -> bool | None:
        """Does calling the method of an instance give a coroutine: True, False (the type says
        it does not), or None (the type does not say: a method the plugin cannot see, such as
        one a library base class or a decorator provides). With `async_def`: is it an `async
        def` (see is_coroutine_function)."""
        key = f"{type_name}#{method}#async def" if async_def else f"{type_name}#{method}"
        if key not in self._answers:
            self._answers[key] = self._method_kind(type_name, method, async_def)
        return self._answers[key]

    def _method_kind(self, type_name: str, method: str, async_def: bool) -> bool | None:
        cls = library_class(type_name)
        if cls is not None:
            return cls.method_is_async_def(method) if async_def else cls.method_is_coroutine(method)
        if type_name in self.extra_classes:
            return True if not method.startswith("_") else None
        if f"{type_name}.{method}" in self.extra_functions:
            return True
        if type_name.startswith(LOCAL_CLASS_PREFIX):
            local = self.module.class_by_name.get(type_name[len(LOCAL_CLASS_PREFIX) :])
            definition = PROJECT.method(self.module, local, method, self.search_roots) if local else None
        else:
            definition = self.project_definition(f"{type_name}.{method}")
        if definition is None:
            base = self._library_base(type_name)
            if base is None:
                return None
            return base.method_is_async_def(method) if async_def else base.method_is_coroutine(method)
        if definition.unknown_decorators and not definition.is_async:
            return None  # a decorator may make a plain def async
        return definition.is_coroutine_function

    def _library_base(self, type_name: str, depth: int = 0) -> LibraryClass | None:
        """The library class a class of the project derives from (a tortoise or beanie model),
        for the methods it inherits."""
        if type_name.startswith(LOCAL_CLASS_PREFIX):
            module: ModuleFacts | None = self.module
            cls = self.module.class_by_name.get(type_name[len(LOCAL_CLASS_PREFIX) :])
        else:
            module_name, _, class_name = type_name.rpartition(".")
            module = PROJECT.module(module_name, self.search_roots) if module_name else None
            cls = module.class_by_name.get(class_name) if module is not None else None
        if cls is None or module is None or depth > MAX_DEPTH:
            return None
        for base in cls.base_names:
            if base is None:
                continue
            found = library_class(canonical_class(base))
            if found is None:
                dotted = f"{LOCAL_CLASS_PREFIX}{base}" if base in module.class_by_name else base
                if module is not self.module and dotted.startswith(LOCAL_CLASS_PREFIX):
                    dotted = f"{module_name}.{base}"
                found = self._library_base(dotted, depth + 1)
            if found is not None:
                return found
        return None
