"""llama-cpp-python's quirks, in one place: the flags it does not expose, the logs it cannot
stop, the build's own description of itself."""

from __future__ import annotations

from contextlib import contextmanager

_LOG_SINK = None


@contextmanager
def no_weight_repacking():
    """llama.cpp repacks weights into "extra buffer types" by default. That path crashes in the
    AMX matmul on some CPUs, and repacked weights are no longer backed by the file (which the
    flash streamer needs). llama-cpp-python does not expose the flag, so set it on the defaults."""
    import llama_cpp.llama_cpp as raw

    original = raw.llama_model_default_params

    def defaults():
        params = original()
        params.use_extra_bufts = False
        return params

    raw.llama_model_default_params = defaults
    try:
        yield
    finally:
        raw.llama_model_default_params = original


def silence_logs() -> None:
    """llama.cpp writes some notes to stderr even with verbose=False; in a TUI they would land on
    the screen. Route them nowhere (once per process)."""
    global _LOG_SINK
    if _LOG_SINK is None:
        import llama_cpp

        _LOG_SINK = llama_cpp.llama_log_callback(lambda level, text, user_data: None)
        llama_cpp.llama_log_set(_LOG_SINK, None)


def system_info() -> str:
    """What the build says it was compiled for, e.g. 'CPU : SSE3 = 1 | AVX2 = 1 | ...'."""
    import llama_cpp

    return llama_cpp.llama_print_system_info().decode("utf-8", "replace").replace("\n", " ").strip()
