"""The report's charts, drawn by matplotlib as SVG text to inline in one HTML file.

Each function takes the figures of `report.build_report` (never the model) and returns an
`<svg>` element. Text stays text (`svg.fonttype = none`) so the page is searchable and
small, and ids are salted with a constant so the same report gives the same file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from voicecheck.features.tone import TONE_DIMENSIONS

#: One colour per channel, in the report's (sorted) channel order; a colour-blind-safe set.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
GREY = "#9a9a9a"
CORE = "#222222"
#: The peers' marks and names on the voice map: dark enough to read as text on white.
PEER = "#595959"


def channel_colours(channels: Sequence[str]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(channels)}


@contextmanager
def _figure(width: float, height: float) -> Iterator[Any]:
    import matplotlib

    matplotlib.use("Agg")  # no display; SVG is written by the savefig below
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "voicecheck", "font.size": 9}):
        figure = Figure(figsize=(width, height), layout="constrained")
        yield figure


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "voicecheck"})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline: no XML declaration or doctype


def voice_map(figures: dict[str, Any], colours: dict[str, str], labels: dict[str, str]) -> str:
    """Posts as points by channel, each channel's centre, the brand's core and its proposition."""
    with _figure(7.0, 4.6) as figure:
        axes = figure.add_subplot()
        for channel, colour in colours.items():
            points = [p for p in figures["points"] if p["channel"] == channel]
            axes.scatter([p["x"] for p in points], [p["y"] for p in points], s=14, color=colour, alpha=0.45,
                         linewidths=0, label=channel)  # fmt: skip
            x, y = figures["centres"][channel]
            axes.scatter([x], [y], s=120, color=colour, edgecolors="white", linewidths=1.5, zorder=3)
            # Each label sits on the side of its centre away from the core, so close centres keep
            # readable names.
            right, up = x >= figures["core"][0], y >= figures["core"][1]
            axes.annotate(channel, (x, y), xytext=(8 if right else -8, 6 if up else -12), textcoords="offset points",
                          ha="left" if right else "right", fontweight="bold", color=colour, zorder=5)  # fmt: skip
        axes.scatter(*figures["core"], marker="*", s=260, color=CORE, zorder=4, label=labels["core"])
        for number, (peer, (x, y)) in enumerate((figures.get("peers") or {}).items()):  # accounts not to sound like
            legend = labels["peer"] if number == 0 else None
            axes.scatter([x], [y], marker="X", s=90, color=PEER, zorder=4, label=legend)
            axes.annotate(peer, (x, y), xytext=(7, -10), textcoords="offset points", color=PEER, zorder=5)
        if figures["proposition"]:
            axes.scatter(*figures["proposition"], marker="D", s=70, color="white", edgecolors=CORE, linewidths=1.5,
                         zorder=4, label=labels["proposition"])  # fmt: skip
        axes.set_xticks([])
        axes.set_yticks([])
        axes.legend(loc="best", fontsize=8, frameon=False, markerscale=0.8)
        return _svg(figure)


def tone_profile(channels: dict[str, Any], brand_range: dict[str, list[float]], colours: dict[str, str],
                 dimension_labels: dict[str, str], band_label: str, target_label: str = "target") -> str:  # fmt: skip
    """Each channel's mean on the four tone dimensions, over the brand's 10-90% band, with a hollow ring
    at the channel's target where brand.toml sets one."""
    with _figure(7.0, 2.9) as figure:
        axes = figure.add_subplot()
        rows = list(range(len(TONE_DIMENSIONS)))[::-1]
        for row, dimension in zip(rows, TONE_DIMENSIONS, strict=True):
            low, high = brand_range[dimension]
            band = band_label if row == rows[0] else None
            axes.barh(row, high - low, left=low, height=0.5, color="#e6e6e6", label=band)
            for offset, (channel, colour) in enumerate(colours.items()):
                spread = (offset - (len(colours) - 1) / 2) * 0.08
                axes.scatter(channels[channel]["tone"][dimension], row + spread, s=36, color=colour, zorder=3,
                             label=channel if row == rows[0] else None)  # fmt: skip
                target = (channels[channel].get("tone_targets") or {}).get(dimension)
                if target is not None:
                    axes.scatter(target, row + spread, s=90, facecolors="none", edgecolors=colour, linewidths=1.5,
                                 zorder=4)  # fmt: skip
        if any(channels[c].get("tone_targets") for c in colours):  # one legend entry for every ring
            axes.scatter([], [], s=90, facecolors="none", edgecolors=GREY, linewidths=1.5, label=target_label)
        axes.set_yticks(rows, [dimension_labels[d] for d in TONE_DIMENSIONS])
        axes.set_xlim(0, 100)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(len(colours) + 1, 7), fontsize=8,
                    frameon=False)  # fmt: skip
        return _svg(figure)


def distances(pairs: dict[str, dict[str, float]], names: Sequence[str]) -> str:
    """The distance between every pair of channels, as a heat map with its values written in."""
    import numpy as np

    matrix = np.array([[0.0 if a == b else pairs[a][b] for b in names] for a in names])
    size = 1.2 + 0.6 * len(names)
    with _figure(size + 1.2, size) as figure:
        axes = figure.add_subplot()
        image = axes.imshow(matrix, cmap="Blues", vmin=0)
        axes.set_xticks(range(len(names)), names, rotation=35, ha="right")
        axes.set_yticks(range(len(names)), names)
        top = matrix.max() or 1.0
        for i in range(len(names)):
            for j in range(len(names)):
                if i != j:
                    axes.text(j, i, f"{matrix[i, j]:.2f}", ha="center", va="center", fontsize=8,
                              color="white" if matrix[i, j] > 0.6 * top else "black")  # fmt: skip
        figure.colorbar(image, ax=axes, shrink=0.8)
        return _svg(figure)


def drift(by_channel: dict[str, list[dict[str, Any]]], band: list[float], colours: dict[str, str],
          labels: dict[str, str]) -> str:  # fmt: skip
    """Mean score per month and channel, over the band of the brand's own posts."""
    months = sorted({point["month"] for series in by_channel.values() for point in series})
    where = {month: i for i, month in enumerate(months)}
    with _figure(7.0, 3.0) as figure:
        axes = figure.add_subplot()
        axes.axhspan(band[0], band[1], color="#ececec", label=labels["band"])
        for channel, series in by_channel.items():
            colour = colours.get(channel, GREY)
            xs, ys = [where[p["month"]] for p in series], [p["mean_score"] for p in series]
            axes.plot(xs, ys, color=colour, linewidth=1.2, alpha=0.6, label=channel)
            for x, y, point in zip(xs, ys, series, strict=True):  # a month on few posts is drawn faded
                few = point.get("few_posts", False)
                axes.plot([x], [y], marker="o", markersize=5, color=colour, alpha=0.3 if few else 1.0,
                          markerfacecolor="white" if few else colour)  # fmt: skip
                axes.annotate(str(point["posts"]), (x, y), xytext=(0, 5), textcoords="offset points", ha="center",
                              fontsize=6, color=colour, alpha=0.5 if few else 1.0)  # fmt: skip
        step = max(1, len(months) // 12)
        axes.set_xticks(range(0, len(months), step), months[::step], rotation=35, ha="right")
        axes.set_ylim(0, 100)
        axes.set_ylabel(labels["score"])
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        return _svg(figure)
