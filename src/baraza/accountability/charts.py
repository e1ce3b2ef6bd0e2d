"""Server-side charts for the public report and dashboard: matplotlib, drawn without a display,
as small SVG for pages (text kept as text, so it stays selectable and light) or PNG for the PDF.
No JavaScript is needed to see them."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # the backend is chosen above

plt.rcParams.update(
    {
        "svg.fonttype": "none",  # text as <text>, not glyph paths: a tenth of the size
        "svg.hashsalt": "baraza",  # stable ids, so identical charts are identical bytes
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
# pyplot's figure registry is global; web servers render from several threads.
_lock = threading.Lock()
BAR = "#0b4f9c"


@dataclass(frozen=True)
class Bars:
    title: str
    labels: Sequence[str]
    values: Sequence[float]
    unit: str = ""
    columns: bool = False  # a time series: vertical bars, every few labels shown


def _columns(bars: Bars) -> plt.Figure:
    figure, axes = plt.subplots(figsize=(5.6, 2.2))
    positions = list(range(len(bars.labels)))
    axes.bar(positions, list(bars.values), color=BAR, width=0.8)
    step = max(1, len(positions) // 6)
    axes.set_xticks(positions[::step], [str(label) for label in bars.labels][::step])
    axes.tick_params(length=0)
    axes.set_title(bars.title, loc="left", fontsize=10)
    axes.grid(axis="y", linewidth=0.4, color="#ccc")
    axes.set_axisbelow(True)
    figure.tight_layout()
    return figure


def _figure(bars: Bars) -> plt.Figure:
    if bars.columns:
        return _columns(bars)
    height = 0.9 + 0.28 * max(len(bars.labels), 1)
    figure, axes = plt.subplots(figsize=(5.6, height))
    positions = range(len(bars.labels))
    axes.barh(list(positions), list(bars.values), color=BAR, height=0.6)
    axes.set_yticks(list(positions), [str(label) for label in bars.labels])
    axes.invert_yaxis()
    axes.set_title(bars.title, loc="left", fontsize=10)
    # Each bar carries its value, so the x axis would only add weight.
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.tick_params(axis="y", length=0)
    top = max(bars.values, default=0)
    for position, value in zip(positions, bars.values, strict=True):
        label = f"{value:g} {bars.unit}".strip()
        axes.text(value + top * 0.01, position, label, va="center", fontsize=8)
    axes.set_xlim(0, top * 1.15 if top else 1)
    figure.tight_layout()
    return figure


_WHITESPACE = re.compile(r">\s+<")
_NUMBER_WHITESPACE = re.compile(r"\s*\n\s*")
_LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")
_CLIP = re.compile(r' clip-path="url\(#[^)]*\)"')
_FONT_FAMILY = re.compile(r"font-family: [^;\"]*;? ?")
_NOISE = re.compile(r' transform="rotate\(-0 [^)]*\)"|<g id="line2d_\d+"/>')
# The pages' Content-Security-Policy allows no inline style (settings.CONTENT_SECURITY_POLICY):
# matplotlib's style attributes become SVG presentation attributes, which say the same, and its
# <style> element (line joins of strokes the chart has none of) goes.
_STYLE_ELEMENT = re.compile(r"<defs><style[^>]*>.*?</style></defs>", re.S)
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')


def svg(bars: Bars) -> str:
    """An inline <svg> element (no XML prologue or metadata), labelled for screen readers."""
    with _lock:
        figure = _figure(bars)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'<svg [^>]*?viewBox="([^"]+)"[^>]*>', _open_tag(bars.title), text, count=1)
    text = _WHITESPACE.sub("><", text)
    # A tenth of a point is finer than any screen shows; the bars sit inside the axes anyway.
    text = _LONG_DECIMAL.sub(r"\1", _CLIP.sub("", text))
    # One font family for the whole chart (set on <svg>), not a fallback list per label.
    text = _NOISE.sub("", _FONT_FAMILY.sub("", text))
    text = _STYLE_ATTRIBUTE.sub(_presentation_attributes, _STYLE_ELEMENT.sub("", text))
    return _NUMBER_WHITESPACE.sub(" ", text).strip()


def _presentation_attributes(style: re.Match[str]) -> str:
    """' style="fill: #fff; stroke-width: 0.8"' as ' fill="#fff" stroke-width="0.8"'."""
    declarations = (part.split(":", 1) for part in style.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def _open_tag(title: str) -> str:
    # Scales with the page instead of a fixed size in points (base.html's `.chart`).
    return (
        f'<svg role="img" aria-label="{_escape(title)}" viewBox="\\1" '
        'xmlns="http://www.w3.org/2000/svg" class="chart">'
    )


def png(bars: Bars, dpi: int = 150) -> bytes:
    with _lock:
        figure = _figure(bars)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi)
        plt.close(figure)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
