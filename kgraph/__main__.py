"""The `kgraph` command (`python -m kgraph`, and the script pip installs).

The command's modules load with the garbage collector paused: loading them makes some
200,000 objects and no garbage, and the collector's passes over them took 70 to 100 ms of a
query command's start-up (bench/query_startup.py). The process is the command's own, so it
may; the library itself never touches the collector beyond its own blocks (`kgraph._runtime`).
"""

from __future__ import annotations


def main() -> None:
    """Run the `kgraph` command."""
    from . import _runtime

    with _runtime.paused():
        from .cli import main as cli_main
    cli_main()


if __name__ == "__main__":
    main()
