"""The library table's entries for the async clients of the openai and anthropic SDKs: the
clients, their nested resources at any depth, and the raw-response and streaming wrappers.
Checked by walking every resource of a client (tests/test_library_table.py repeats it where the
SDK is installed); application_libraries.py joins them to the rest."""

from __future__ import annotations

from .library_class import LibraryClass

OPENAI_CLIENT = "openai.AsyncOpenAI"
OPENAI_RESOURCE = "openai.<async resource>"
"""Any resource of an AsyncOpenAI client, at any depth (`client.beta.threads.runs`)."""
OPENAI_STREAMING = "openai.<async streaming resource>"
"""A `with_streaming_response` wrapper: its methods return an async context manager, not an awaitable."""
OPENAI_RAW = "openai.<async raw response resource>"
"""A `with_raw_response` wrapper (of the client or of a resource): every method returns a
coroutine, `list()` too (not a paginator), and its attributes are raw wrappers too."""
ANTHROPIC_CLIENT = "anthropic.AsyncAnthropic"
ANTHROPIC_BEDROCK_CLIENT = "anthropic.AsyncAnthropicBedrock"
ANTHROPIC_VERTEX_CLIENT = "anthropic.AsyncAnthropicVertex"
ANTHROPIC_RESOURCE = "anthropic.<async resource>"
ANTHROPIC_STREAMING = "anthropic.<async streaming resource>"
ANTHROPIC_RAW = "anthropic.<async raw response resource>"
"""A `with_raw_response` wrapper (of the client or of a resource): every method returns a
coroutine, `list()` too (not a paginator), and its attributes are raw wrappers too."""

_OPENAI_RESOURCE_NAMES = (
    "admin",
    "audio",
    "batches",
    "beta",
    "chat",
    "completions",
    "containers",
    "content_provenance_checks",
    "conversations",
    "decisions",
    "embeddings",
    "evals",
    "files",
    "fine_tuning",
    "images",
    "live",
    "models",
    "moderations",
    "realtime",
    "responses",
    "safety",
    "skills",
    "uploads",
    "vector_stores",
    "videos",
    "webhooks",
)
"""The resources an AsyncOpenAI client holds (openai 1.109, 2.54, 3.63), and the raw-response
wrapper of them all."""
_ANTHROPIC_RESOURCE_NAMES = (
    "beta",
    "completions",
    "files",
    "messages",
    "models",
    "organization",
    "skills",
    "user_profiles",
)
"""The same for AsyncAnthropic (anthropic 0.40, 0.79, 1.17, 2.17)."""
_ANTHROPIC_CLOUD_RESOURCES = (
    ("messages", ANTHROPIC_RESOURCE),
    ("completions", ANTHROPIC_RESOURCE),
    ("beta", ANTHROPIC_RESOURCE),
)
"""What the Bedrock and Vertex clients hold (set in `__init__`; no raw or streaming wrappers)."""
_SDK_CLIENT_SYNC_METHODS = frozenset(
    {"copy", "with_options", "with_middleware", "get_api_list", "is_closed", "platform_headers"}
)
"""Plain defs of the SDK clients: a new client, a paginator, a bool, headers."""
_SDK_CLIENT_ASYNC_METHODS = frozenset({"close", "get", "post", "put", "patch", "delete", "request"})
"""`async def` on the SDK clients: raw HTTP calls on the client's base URL."""


SDK_CLASSES: tuple[LibraryClass, ...] = (
    # openai 1.109, 2.54 and 3.63, walking every resource of a client: resource methods are
    # `async def` or plain defs returning one's coroutine (`@required_args`, `@deprecated`); the
    # plain ones returning a paginator, a stream manager, a connection manager or a parsed
    # webhook are sync_methods (`content` too: a paginator on vector_stores.files). Only
    # `fine_tuning.checkpoints.permissions.create` returns a paginator under an async name.
    # AsyncAzureOpenAI and AsyncBedrockOpenAI subclass AsyncOpenAI and add no public method.
    LibraryClass(
        OPENAI_CLIENT,
        (
            "openai.AsyncClient",
            "openai._client.AsyncOpenAI",
            "openai.AsyncAzureOpenAI",
            "openai.lib.azure.AsyncAzureOpenAI",
            "openai.AsyncBedrockOpenAI",
        ),
        _SDK_CLIENT_ASYNC_METHODS,
        enters_as_self="async",
        method_results=(("with_options", OPENAI_CLIENT), ("copy", OPENAI_CLIENT)),
        sync_methods=_SDK_CLIENT_SYNC_METHODS,
        attribute_types=(
            *((name, OPENAI_RESOURCE) for name in _OPENAI_RESOURCE_NAMES),
            ("with_streaming_response", OPENAI_STREAMING),
            ("with_raw_response", OPENAI_RAW),
        ),
    ),
    LibraryClass(
        OPENAI_RESOURCE,
        other_methods_async=True,
        sync_methods=frozenset(
            {
                "activate",
                "connect",
                "content",
                "create_and_run_stream",
                "create_and_stream",
                "deactivate",
                "for_result",
                "list",
                "list_events",
                "list_files",
                "list_items",
                "list_rate_limits",
                "search",
                "stream",
                "submit_tool_outputs_stream",
                "unwrap",
                "verify_signature",
            }
        ),
        attribute_types=(("with_streaming_response", OPENAI_STREAMING), ("with_raw_response", OPENAI_RAW)),
        other_attributes_type=OPENAI_RESOURCE,
    ),
    LibraryClass(OPENAI_STREAMING, other_attributes_type=OPENAI_STREAMING),
    LibraryClass(OPENAI_RAW, other_methods_async=True, other_attributes_type=OPENAI_RAW),
    # anthropic 0.40, 0.79, 1.17 and 2.17, the same walk: `messages.create` is a plain def
    # returning the coroutine (`@required_args`); stream / tool_runner / thread give managers,
    # list a paginator. AsyncAnthropicFoundry subclasses AsyncAnthropic; the Bedrock and Vertex
    # clients do not, but have its methods and a few of its resources.
    LibraryClass(
        ANTHROPIC_CLIENT,
        ("anthropic.AsyncClient", "anthropic._client.AsyncAnthropic", "anthropic.AsyncAnthropicFoundry"),
        _SDK_CLIENT_ASYNC_METHODS,
        enters_as_self="async",
        method_results=(("with_options", ANTHROPIC_CLIENT), ("copy", ANTHROPIC_CLIENT)),
        sync_methods=_SDK_CLIENT_SYNC_METHODS,
        attribute_types=(
            *((name, ANTHROPIC_RESOURCE) for name in _ANTHROPIC_RESOURCE_NAMES),
            ("with_streaming_response", ANTHROPIC_STREAMING),
            ("with_raw_response", ANTHROPIC_RAW),
        ),
    ),
    LibraryClass(
        ANTHROPIC_BEDROCK_CLIENT,
        ("anthropic.lib.bedrock._client.AsyncAnthropicBedrock",),
        _SDK_CLIENT_ASYNC_METHODS,
        enters_as_self="async",
        method_results=(("with_options", ANTHROPIC_BEDROCK_CLIENT), ("copy", ANTHROPIC_BEDROCK_CLIENT)),
        sync_methods=_SDK_CLIENT_SYNC_METHODS,
        attribute_types=_ANTHROPIC_CLOUD_RESOURCES,
    ),
    LibraryClass(
        ANTHROPIC_VERTEX_CLIENT,
        ("anthropic.lib.vertex._client.AsyncAnthropicVertex",),
        _SDK_CLIENT_ASYNC_METHODS,
        enters_as_self="async",
        method_results=(("with_options", ANTHROPIC_VERTEX_CLIENT), ("copy", ANTHROPIC_VERTEX_CLIENT)),
        sync_methods=_SDK_CLIENT_SYNC_METHODS,
        attribute_types=_ANTHROPIC_CLOUD_RESOURCES,
    ),
    LibraryClass(
        ANTHROPIC_RESOURCE,
        other_methods_async=True,
        sync_methods=frozenset(
            {"list", "parse_unverified", "poller", "stream", "thread", "tool_runner", "unwrap", "worker"}
        ),
        attribute_types=(("with_streaming_response", ANTHROPIC_STREAMING), ("with_raw_response", ANTHROPIC_RAW)),
        other_attributes_type=ANTHROPIC_RESOURCE,
    ),
    LibraryClass(ANTHROPIC_STREAMING, other_attributes_type=ANTHROPIC_STREAMING),
    LibraryClass(ANTHROPIC_RAW, other_methods_async=True, other_attributes_type=ANTHROPIC_RAW),
)
