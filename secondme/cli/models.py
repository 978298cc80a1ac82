"""Commands on models: list, use, info, relayout, bench."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from secondme.cli.output import app, command, console, plain, print_json, say
from secondme.cli.talk import configured_budget, local_model
from secondme.errors import UsageError

model_app = typer.Typer(help="Models: which there are, which one to use, what one is.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@command("list", on=model_app)
def model_list(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """The bundled model, the one you chose, Ollama's models, and GGUF files found in the usual places."""
    from secondme.config import load_settings
    from secondme.model import registry

    configured = load_settings().model
    current = registry.resolve(configured).resolve() if configured else registry.bundled_model().resolve()
    listed = registry.entries(configured)
    if as_json:
        print_json([{"name": e.name, "path": str(e.path), "origin": e.origin, "bytes": e.size, "current": e.path.resolve() == current} for e in listed])
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column in ("", "name", "origin", "size", "path"):
        table.add_column(column)
    for entry in listed:
        table.add_row("*" if entry.path.resolve() == current else "", plain(entry.name), entry.origin, f"{entry.size / 2**20:.0f} MiB", plain(entry.path))
    console().print(table)


@command("use", on=model_app)
def model_use(choice: Annotated[str, typer.Argument(metavar="PATH|NAME", help="A .gguf file, a listed name, ollama:NAME[:TAG], or 'bundled'.")]) -> None:
    """Use this model from now on (checked before it is saved)."""
    from secondme.config import save_setting
    from secondme.model import registry
    from secondme.model.llm import describe, display_name

    if not choice.strip():
        raise UsageError("say which model: a .gguf file, a listed name, ollama:NAME or 'bundled'")
    path = registry.resolve(choice)
    info = describe(path)
    bundled = choice.lower() in registry.BUNDLED_NAMES
    # An Ollama model is kept by name: `ollama pull` of a newer version moves its blob.
    save_setting("model", "" if bundled else choice if choice.startswith(registry.OLLAMA_PREFIX) else str(path))
    say(f"Using {plain(display_name(path, info))} ({plain(info.quantization)}, {info.parameters / 1e6:.0f}M parameters) from {plain(path)}.")


@command("info", on=model_app)
def model_info(
    choice: Annotated[Optional[str], typer.Argument(metavar="[PATH|NAME]", help="Default: the model in use.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Architecture, parameters, quantisation, context length and size of a model."""
    from secondme.config import load_settings
    from secondme.model import registry
    from secondme.model.llm import describe

    info = describe(registry.resolve(choice if choice is not None else load_settings().model))
    if as_json:
        print_json(info.as_dict())
        return
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("name", plain(info.name))
    table.add_row("architecture", plain(info.architecture))
    table.add_row("parameters", f"{info.parameters:,}")
    table.add_row("quantisation", plain(info.quantization))
    table.add_row("context length", f"{info.context_length:,}" if info.context_length else "unknown")
    table.add_row("file size", f"{info.file_size / 2**20:.1f} MiB")
    table.add_row("chat template", "yes" if info.chat_template else "no (a plain fallback is used)")
    table.add_row("path", plain(info.path))
    console().print(table)


@command("relayout", on=model_app)
def model_relayout(
    source: Annotated[Path, typer.Argument(help="A GGUF model.")],
    target: Annotated[Path, typer.Argument(help="Where to write the copy.")],
) -> None:
    """Copy a GGUF with its tensors in execution order (lossless), for streaming under a RAM budget."""
    from secondme.native.layout import read_layout, relayout

    before = read_layout(source)
    if target.exists():
        raise UsageError(f"{target} exists; choose a new file")
    after = relayout(source, target)
    say(f"Wrote {plain(target)}: {len(after.layers)} layers in execution order ({before.file_size / 2**20:.1f} MiB -> {after.file_size / 2**20:.1f} MiB).")


@command("bench", on=model_app)
def model_bench(
    choice: Annotated[Optional[str], typer.Argument(metavar="[PATH|NAME]", help="Default: the model in use.")] = None,
    ram_budget: Annotated[Optional[str], typer.Option("--ram-budget", help="Stream the weights under this budget, e.g. 50M, 2G.")] = None,
    tokens: Annotated[int, typer.Option("--tokens", min=8, max=2048, help="Tokens to generate.")] = 64,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Load time, time to first token, tok/s, peak RSS, bytes read per token, largest residency."""
    from secondme.config import load_settings
    from secondme.model import registry
    from secondme.model.bench import bench

    path = registry.resolve(choice if choice is not None else load_settings().model)
    report = bench(local_model(path, configured_budget(ram_budget)), tokens)
    if as_json:
        print_json(report)
        return
    say(
        f"{report['model']}: load {report['load_s']:.2f} s, first token {report['ttft_s'] * 1000:.0f} ms, {report['tok_s']:.1f} tok/s, "
        f"peak RSS {report['peak_rss_bytes'] / 2**20:.0f} MiB, {report['read_bytes_per_token'] / 2**20:.2f} MiB read per token, "
        f"largest residency {report['max_resident_bytes'] / 2**20:.1f} MiB"
        + (f" (budget {report['budget_bytes'] / 2**20:.1f} MiB, {report['streaming']['stall_s']:.2f} s stalled)" if report["streaming"] else " (not streaming)")
    )
