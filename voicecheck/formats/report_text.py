"""The channel report as plain text for a terminal.

Names, ids and post excerpts go through `visible`, so a control character in them is spelt
out, never sent to the terminal.
"""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck.formats.escape import visible

#: The text report names this many of the flagged posts; JSON and HTML carry them all.
TEXT_FLAGGED = 5


def write_report(report: dict[str, Any], out: TextIO) -> None:
    brand = visible(report["brand"] or "the brand")
    count = len(report["channels"])
    out.write(f"Voice report for {brand}: {report['posts']} posts on {count} channel{'s' * (count != 1)}\n\n")
    out.write(f"{'CHANNEL':<22}{'POSTS':>6}{'DIVERG':>7}{'SCORE':>7}  FORMALITY HUMOR IRREV ENTHUS\n")
    for name, channel in report["channels"].items():
        tone = channel["tone"]
        out.write(
            f"{visible(name)[:21]:<22}{channel['posts']:>6}{channel['divergence']:>7.2f}{channel['mean_score']:>7.0f}  "
            f"{tone['formality']:>9.0f} {tone['humor']:>5.0f} {tone['irreverence']:>5.0f} {tone['enthusiasm']:>6.0f}\n"
        )
    divergent = report["most_divergent_channel"]
    if count == 1:
        out.write("\nOnly one channel: fit on posts from several channels (a channel column) to compare them.\n")
    if divergent:
        because = visible(", ".join(report["most_divergent_because"])) or "its wording as a whole"
        out.write(f"\nMost divergent channel: {visible(divergent)}: {because}\n")
    for name, channel in report["channels"].items():
        if name != divergent and channel["sets_apart"]:
            out.write(f"  {visible(name)}: {visible(', '.join(channel['sets_apart']))}\n")
    if len(report["distances"]) > 1:
        out.write("\nDistance between channels (0 = same voice):\n")
        names = list(report["distances"])
        out.write(" " * 22 + "".join(f"{visible(n)[:10]:>11}" for n in names) + "\n")
        for a in names:
            row = "".join(f"{'-' if a == b else format(report['distances'][a][b], '.2f'):>11}" for b in names)
            out.write(f"{visible(a)[:21]:<22}{row}\n")
    if report["drift"]:
        low, high = report["brand_band"]
        out.write(f"\nDrift over time (mean score per month; the brand's band is {low:.0f}–{high:.0f}):\n")
        for name, months in report["drift"].items():
            cells = ", ".join(f"{visible(m['month'])} {m['mean_score']:.0f}" for m in months[-12:])
            out.write(f"  {visible(name)}: {cells}\n")
    if report["flagged"]:
        shown, total = report["flagged"][:TEXT_FLAGGED], len(report["flagged"])
        out.write(f"\nPosts that drift most ({len(shown)} of {total}; all in --format json or html):\n")
        for post in shown:
            text = visible(" ".join(post["text"].split()))
            excerpt = text if len(text) <= 70 else text[:69] + "…"
            channel, post_id = visible(post["channel"] or "-"), visible(str(post["id"]))
            out.write(f"  {post['score']:>3.0f}  {channel}  {post_id}: {excerpt}\n")
            out.write(f"       - {visible(post['reasons'][0]['message'])}\n")
