"""The channel report as plain text for a terminal, in the report's language.

Names, ids and post excerpts go through `visible`, so a control character in them is spelt
out, never sent to the terminal.
"""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck.core import TONE_DIMENSIONS
from voicecheck.formats.escape import visible
from voicecheck.i18n import N_, gettext, ngettext, number, percent
from voicecheck.messages import channel_label
from voicecheck.report import FEW_POSTS

#: The text report names this many of the flagged posts; JSON and HTML carry them all.
TEXT_FLAGGED = 5

#: The table's column headings.
HEADINGS = {"channel": N_("CHANNEL"), "posts": N_("POSTS"), "divergence": N_("DIVERG"), "score": N_("SCORE"),
            "flagged": N_("FLAGGED")}  # fmt: skip
#: The tone columns' short headings.
TONE_HEADINGS = {"formality": N_("FORMALITY"), "humor": N_("HUMOR"), "irreverence": N_("IRREV"),
                 "enthusiasm": N_("ENTHUS")}  # fmt: skip
DRIFT_HEADING = N_("Drift over time (mean score per month, and its number of posts; the brand's band is {low}–{high}):")
TARGET = N_("target (brand.toml)")
#: Joins the phrases that set a channel apart (a phrase may hold commas and semicolons).
PHRASE_JOIN = " · "


def write_report(report: dict[str, Any], out: TextIO) -> None:
    """Write `report` (the dict of `api.report`) as text, in `report["language"]`."""
    lang = str(report.get("language") or "en")
    for section in (_heading, _channels, _apart, _distances, _peers, _drift, _flagged):
        out.write("".join(section(report, lang)))


def _heading(report: dict[str, Any], lang: str) -> list[str]:
    brand = visible(report["brand"] or gettext("the brand", lang))
    count = len(report["channels"])
    posts = ngettext("{count} post", "{count} posts", report["posts"], lang).format(count=report["posts"])
    channels = ngettext("{count} channel", "{count} channels", count, lang).format(count=count)
    return [gettext("Voice report for {brand}: {posts} on {channels}", lang).format(
        brand=brand, posts=posts, channels=channels) + "\n\n"]  # fmt: skip


def _channels(report: dict[str, Any], lang: str) -> list[str]:
    """One row per channel: posts, divergence, score, flags and tone, with the brand's tone targets below."""
    tone_heads = " ".join(f"{gettext(TONE_HEADINGS[d], lang):>9}" for d in TONE_DIMENSIONS)
    head = {key: gettext(message, lang) for key, message in HEADINGS.items()}
    lines = [f"{head['channel']:<22}{head['posts']:>8}{head['divergence']:>8}{head['score']:>7}"
             f"{head['flagged']:>11} {tone_heads}\n"]  # fmt: skip
    for name, channel in report["channels"].items():
        tone = " ".join(f"{number(channel['tone'][d], lang):>9}" for d in TONE_DIMENSIONS)
        label = visible(channel_label(name, lang))[:21]
        lines.append(
            f"{label:<22}{channel['posts']:>8}{number(channel['divergence'], lang, 2):>8}"
            f"{number(channel['mean_score'], lang):>7}{channel.get('flagged', 0):>11} {tone}\n"
        )
        targets = channel.get("tone_targets") or {}
        if targets:
            cells = " ".join(f"{number(targets[d], lang) if d in targets else '':>9}" for d in TONE_DIMENSIONS)
            lines.append(f"{'  ' + gettext(TARGET, lang):<56} {cells}\n")
    counts = report.get("flag_counts")
    if counts and counts["posts"]:
        kinds = ", ".join(f"{gettext(_kind_name(k), lang)} {n}" for k, n in counts["by_kind"].items())
        lines.append("\n" + ngettext("{count} post flagged, as check flags them", "{count} posts flagged, as check "
                                     "flags them", counts["posts"], lang).format(count=counts["posts"]))  # fmt: skip
        lines.append(gettext(" (reasons: {kinds})", lang).format(kinds=kinds) + "\n")
    return lines


#: The kinds of reason, as a reader calls them (`explain.CODES`).
KIND_NAMES = {
    "too_short": N_("too short"),
    "overall": N_("overall voice"),
    "tone": N_("tone"),
    "style": N_("style"),
    "unfamiliar_words": N_("unfamiliar words"),
    "other_language": N_("another language"),
    "avoided_term": N_("avoided term"),
    "preferred_term": N_("preferred term"),
    "brand_term": N_("brand name"),
}


def _kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


def _apart(report: dict[str, Any], lang: str) -> list[str]:
    lines = []
    divergent, count = report["most_divergent_channel"], len(report["channels"])
    if count == 1:
        lines.append("\n" + gettext("Only one channel: fit on posts from several channels (a channel column) to "
                                    "compare them.", lang) + "\n")  # fmt: skip
    if divergent:
        because = PHRASE_JOIN.join(_apart_of(report["channels"][divergent], lang))
        because = visible(because) or gettext("its wording as a whole", lang)
        lines.append("\n" + gettext("Most divergent channel: {channel}: {because}", lang).format(
            channel=visible(channel_label(divergent, lang)), because=because) + "\n")  # fmt: skip
    for name, channel in report["channels"].items():
        phrases = _apart_of(channel, lang)
        if name != divergent and phrases:
            said = gettext("{label}: {value}", lang).format(
                label=channel_label(name, lang), value=PHRASE_JOIN.join(phrases)
            )
            lines.append(f"  {visible(said)}\n")
    return lines


def _apart_of(channel: dict[str, Any], lang: str) -> list[str]:
    """What sets a channel apart, in the report's language."""
    phrases: list[str] = channel.get("sets_apart_text", channel["sets_apart"])
    return phrases


def _distances(report: dict[str, Any], lang: str) -> list[str]:
    if len(report["distances"]) <= 1:
        return []
    names = list(report["distances"])
    lines = ["\n" + gettext("Distance between channels (0 = same voice):", lang) + "\n"]
    lines.append(" " * 22 + "".join(f"{visible(n)[:10]:>11}" for n in names) + "\n")
    for a in names:
        row = "".join(f"{'-' if a == b else number(report['distances'][a][b], lang, 2):>11}" for b in names)
        lines.append(f"{visible(a)[:21]:<22}{row}\n")
    return lines


def _peers(report: dict[str, Any], lang: str) -> list[str]:
    """The peers the model knows, and for each channel the one it is likeliest to be taken for."""
    peers = report.get("peers")
    if not peers:
        return []
    known = ", ".join(_peer_and_posts(peer, lang) for peer in peers["peers"])
    lines = ["\n" + gettext("Peers (accounts the brand must not sound like): {peers}", lang).format(peers=known) + "\n"]
    said = gettext(
        "{channel}: nearest to {peer}, taken for it {probability} of the time; "
        "{share} of its posts sound more like {peer} than like the brand",
        lang,
    )
    for channel, near in peers["channels"].items():
        lines.append("  " + said.format(
            channel=visible(channel_label(channel, lang)), peer=visible(near["nearest_peer"]),
            probability=percent(near["probability"], lang), share=percent(near["closer_share"], lang),
        ) + "\n")  # fmt: skip
    return lines


def _peer_and_posts(peer: dict[str, Any], lang: str) -> str:
    posts = ngettext("{count} post", "{count} posts", peer["posts"], lang).format(count=peer["posts"])
    return f"{visible(peer['name'])} ({posts})"


def _drift(report: dict[str, Any], lang: str) -> list[str]:
    """Mean score per month with the posts it stands on; thin months marked with an asterisk;
    the posts whose date could not be read, which it leaves out."""
    unread = report.get("dates_not_read")
    said = []
    if unread:
        message = ngettext(
            "{count} post has a date that cannot be read as one (such as {example}): it is left out of the drift",
            "{count} posts have a date that cannot be read as one (such as {example}): they are left out of the drift",
            unread["posts"],
            lang,
        )
        said = ["\n" + message.format(count=unread["posts"], example=repr(visible(unread["example"]))) + "\n"]
    if not report["drift"]:
        return said
    low, high = report["brand_band"]
    heading = gettext(DRIFT_HEADING, lang).format(low=number(low, lang), high=number(high, lang))
    lines = ["\n" + heading + "\n"]
    thin = False
    for name, months in report["drift"].items():
        cells = []
        for month in months[-12:]:
            few = month.get("few_posts", month["posts"] < FEW_POSTS)
            thin = thin or few
            cells.append(f"{visible(month['month'])} {number(month['mean_score'], lang)} ({month['posts']})"
                         f"{'*' if few else ''}")  # fmt: skip
        lines.append(f"  {visible(channel_label(name, lang))}: {', '.join(cells)}\n")
    if thin:
        lines.append("  " + gettext("* fewer than {count} posts: too few for the mean to say much", lang).format(
            count=FEW_POSTS) + "\n")  # fmt: skip
    return lines + said


def _flagged(report: dict[str, Any], lang: str) -> list[str]:
    if not report["flagged"]:
        return []
    shown = report["flagged"][:TEXT_FLAGGED]
    total = report.get("flag_counts", {}).get("posts", len(report["flagged"]))
    lines = ["\n" + gettext("Posts that drift most ({shown} of {total}; all in --format json or html):",
                            lang).format(shown=len(shown), total=total) + "\n"]  # fmt: skip
    for post in shown:
        text = visible(" ".join(post["text"].split()))
        excerpt = text if len(text) <= 70 else text[:69] + "…"
        channel, post_id = visible(post["channel"] or "-"), visible(str(post["id"]))
        date = f"  {visible(post['date'][:10])}" if post.get("date") else ""
        lines.append(f"  {post['score']:>3.0f}  {channel}  {post_id}{date}: {excerpt}\n")
        lines.append(f"       - {visible(post['reasons'][0]['message'])}\n")
    return lines
