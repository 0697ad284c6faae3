"""Make the README screenshot: the seeds' graph.html in Debian's chromium, network blocked.

    python scripts/screenshot.py                      # builds seeds/ -> docs/graph.png
    python scripts/screenshot.py outputs/ --focus Taliban -o /tmp/shot.png
    python scripts/screenshot.py dated/ --last-months 1 --link Taliban Doha -o docs/timeline.png

The first argument is an output folder of `kgraph build` (its graph.html is used as is) or
article files/folders to build (default: seeds/, with the default model). `--focus NAME`
searches for NAME in the page, as a user would, so the picture shows the neighbourhood
highlight and the entity panel. Needs the test extra (Playwright) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def page_for(source: list[str], workdir: Path) -> Path:
    """graph.html of an output folder, or of a fresh build of `source`."""
    if len(source) == 1 and (Path(source[0]) / "graph.html").is_file():
        return Path(source[0]) / "graph.html"
    import kgraph

    kg = kgraph.build(source or [str(ROOT / "seeds")], jobs=1)
    return kg.save(workdir)["html"]


def shoot(
    page_path: Path,
    out: Path,
    *,
    focus: str | None,
    width: int,
    height: int,
    chromium: str,
    last_months: int | None = None,
    link: tuple[str, str] | None = None,
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    outside: list[str] = []

    def block(route) -> None:  # the page must need nothing but itself
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        context.route("**/*", block)
        page = context.new_page()
        page.goto(page_path.resolve().as_uri())
        try:
            page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
        except PlaywrightTimeout:
            raise SystemExit(
                f"{page_path} did not finish drawing: is it a graph.html of this kgraph version?"
            ) from None
        if focus:
            page.fill("#search", focus)
            page.press("#search", "Enter")
            page.evaluate("document.activeElement.blur()")
            page.wait_for_timeout(800)  # the focus animation takes 450 ms
        if last_months:  # the time range: its last months only, as a user drags the left handle
            page.evaluate(
                "(n) => { const f = document.getElementById('from'); f.value = String(Math.max(0, +f.max - n + 1));"
                " f.dispatchEvent(new Event('input')); }",
                last_months,
            )
            page.wait_for_selector("body:not([data-busy])", state="attached")
            page.wait_for_timeout(300)
        if link:  # open a link's panel, as a click on it does
            page.evaluate(
                "([a, b]) => { const N = kgraph.data.nodes; const k = kgraph.data.edges.findIndex((e) =>"
                " [N[e.source].label, N[e.target].label].sort().join('|') === [a, b].sort().join('|'));"
                " if (k < 0) throw new Error('no link ' + a + ' - ' + b); kgraph.showEdge(k); }",
                list(link),
            )
        page.mouse.move(0, height - 1)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    if outside:
        raise SystemExit(f"the page tried to load {len(outside)} outside address(es): {outside[:3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="*", help="an output folder, or article files/folders (default: seeds/)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "graph.png", help="PNG to write")
    parser.add_argument("--focus", help="search for this entity before the picture is taken")
    parser.add_argument("--last-months", type=int, help="narrow the time range to its last N months")
    parser.add_argument(
        "--link", nargs=2, metavar=("A", "B"), help="open the panel of the link between A and B (labels)"
    )
    parser.add_argument("--size", default="1280x800", help="viewport WIDTHxHEIGHT (default 1280x800)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="chromium executable")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        shoot(
            page_for(args.source, Path(tmp)),
            args.output,
            focus=args.focus,
            width=width,
            height=height,
            chromium=args.chromium,
            last_months=args.last_months,
            link=tuple(args.link) if args.link else None,
        )
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
