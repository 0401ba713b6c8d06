"""The report as one self-contained HTML page: a view of `report --format json`, nothing more.

Charts are matplotlib SVG inlined in a Jinja2 template; no script, font or style is fetched,
so the file opens offline and prints. Every word on it is in the report's language.
"""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck import __version__, charts
from voicecheck.core import LANGUAGES, TONE_DIMENSIONS
from voicecheck.errors import VoicecheckError
from voicecheck.formats.report_text import KIND_NAMES, PHRASE_JOIN
from voicecheck.i18n import N_, _, gettext, ngettext, number, percent
from voicecheck.messages import DIMENSION_NAMES, channel_label
from voicecheck.report import FEW_POSTS

#: The page's words, as message ids: `words(lang)` gives them in a language.
WORDS = {
    "title": N_("Voice report"),
    "summary": N_("In short"),
    "map": N_("The voice space"),
    "map_note": N_(
        "Each point is a post, placed by its wording (character n-grams); the big dots are the channels' centres."
    ),
    "core": N_("brand core"),
    "proposition": N_("brand proposition"),
    "tone": N_("Tone by channel"),
    "tone_note": N_(
        "Each channel's mean, 0–100; the grey bar is the middle {share} of the brand's own posts; a hollow ring is"
        " the channel's target in brand.toml."
    ),
    "band": N_("brand's range"),
    "target": N_("target (brand.toml)"),
    "distances": N_("How far apart the channels are"),
    "distances_note": N_("0 means the same voice; the most divergent channel is the one furthest from all the others."),
    "apart": N_("What sets each channel apart"),
    "peers": N_("The accounts the brand must not sound like"),
    "peers_note": N_(
        "For each channel, the peer its posts are likeliest to be taken for, how often, and the share of its"
        " posts that sound more like that peer than like the brand."
    ),
    "peer": N_("Nearest peer"),
    "peer_mark": N_("peer (its posts' centre)"),
    "taken_for": N_("Taken for it"),
    "closer_share": N_("Posts closer to it"),
    "drift": N_("Drift over time"),
    "drift_note": N_(
        "Mean score per month (higher is closer to the brand); the grey band holds the middle {share} of the"
        " brand's own posts. Each point's label is its number of posts."
    ),
    "few_note": N_("Faded points stand on fewer than {count} posts: too few for the mean to say much."),
    "no_dates": N_("The posts have no dates, so there is no drift over time to show."),
    "score": N_("score"),
    "flagged": N_("Posts that drift"),
    "flag_counts": N_("Reasons given, by kind"),
    "none_flagged": N_("No post drifts from the voice."),
    "nearest": N_("How the brand usually says it"),
    "channel": N_("Channel"),
    "posts": N_("Posts"),
    "distance": N_("Divergence"),
    "mean_score": N_("Mean score"),
    "flagged_share": N_("Flagged"),
    "footer": N_("Made by voicecheck {version}"),
    "colon": N_("{label}: {value}"),
    "channels": N_("channels"),
    "shown": N_("The {shown} that drift most of {total} flagged posts."),
}


def words(lang: str) -> dict[str, str]:
    """The page's words in `lang`, the tone dimensions' names among them."""
    said = {key: gettext(message, lang) for key, message in WORDS.items()}
    for key in ("tone_note", "drift_note"):
        said[key] = said[key].format(share=percent(0.8, lang))
    said.update({d: gettext(DIMENSION_NAMES[d], lang) for d in TONE_DIMENSIONS})
    said.update({f"kind_{k}": gettext(name, lang) for k, name in KIND_NAMES.items()})
    return said


SENTENCES = {
    "divergent": N_("The channel that strays furthest from the voice is {channel}."),
    "divergent_because": N_("The channel that strays furthest from the voice is {channel}: {apart}."),
    "closest": N_("The closest to the brand's core is {channel}."),
    "tone": N_("The tone runs from the most casual, {casual}, to the most formal, {formal}."),
    "brand": N_("The brand"),
}


def summary_sentences(report: dict[str, Any], lang: str) -> list[str]:
    """The report's main findings in a few plain sentences, in `lang`."""
    channels = report["channels"]
    posts = ngettext("{count} post", "{count} posts", report["posts"], lang).format(count=report["posts"])
    count = len(channels)
    sentences = [gettext("{brand}: {posts} on {channels}.", lang).format(
        brand=report["brand"] or gettext(SENTENCES["brand"], lang), posts=posts,
        channels=ngettext("{count} channel", "{count} channels", count, lang).format(count=count))]  # fmt: skip
    divergent = report["most_divergent_channel"]
    if divergent:
        apart = PHRASE_JOIN.join(apart_of(channels[divergent], lang)[:3])
        key = "divergent_because" if apart else "divergent"
        sentences.append(gettext(SENTENCES[key], lang).format(channel=divergent, apart=apart))
    if len(channels) > 1:
        closest = min(channels, key=lambda c: channels[c]["divergence"])
        if closest != divergent:
            sentences.append(gettext(SENTENCES["closest"], lang).format(channel=closest))
        by_formality = sorted(channels, key=lambda c: channels[c]["tone"]["formality"])
        sentences.append(gettext(SENTENCES["tone"], lang).format(casual=by_formality[0], formal=by_formality[-1]))
    counts = report.get("flag_counts")
    flagged = counts["posts"] if counts else sum(round(c["flagged_share"] * c["posts"]) for c in channels.values())
    sentences.append(ngettext("{count} post drifts from the voice.", "{count} posts drift from the voice.", flagged,
                              lang).format(count=flagged))  # fmt: skip
    return sentences


def apart_of(channel: dict[str, Any], lang: str) -> list[str]:
    """What sets a channel apart, in `lang` (the report's language, or one of the fields kept for both)."""
    if lang == "fr" and "sets_apart_fr" in channel:
        phrases: list[str] = channel["sets_apart_fr"]
    elif lang == "en":
        phrases = channel["sets_apart"]
    else:
        phrases = channel.get("sets_apart_text", channel["sets_apart"])
    return phrases


def _labelled(value: Any, lang: str, key: str | None = None) -> Any:
    """The report with its channels named as a reader sees them (`channel_label`): as keys,
    and as the values of a channel field; the JSON keeps its codes."""
    if isinstance(value, dict):
        return {channel_label(k, lang): _labelled(v, lang, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_labelled(item, lang, key) for item in value]
    if isinstance(value, str) and key in ("channel", "most_divergent_channel"):
        return channel_label(value, lang)
    return value


def render(report: dict[str, Any]) -> str:
    """The HTML page for a report (the dict of `api.report`)."""
    try:
        import jinja2
        import matplotlib  # noqa: F401 (the charts draw with it: say so before any work is done)
        from markupsafe import Markup
    except ImportError as exc:
        message = _("the HTML report needs its extra: pip install 'voicecheck[html]' ({error})")
        raise VoicecheckError(message.format(error=exc)) from exc
    lang = str(report.get("language")) if report.get("language") in LANGUAGES else "en"
    report = _labelled(report, lang)
    said = words(lang)
    names = sorted(report["channels"])
    counts = report.get("flag_counts") or {}
    colours = charts.channel_colours(names)
    drift_labels = {"band": said["band"], "score": said["score"]}
    map_labels = {"core": said["core"], "proposition": said["proposition"], "peer": said["peer_mark"]}
    tone_labels = {d: said[d] for d in TONE_DIMENSIONS}
    figures = {
        "map": charts.voice_map(report["map"], colours, map_labels),
        "tone": charts.tone_profile(
            report["channels"], report["brand_tone_range"], colours, tone_labels, said["band"], said["target"]
        ),
        "distances": charts.distances(report["distances"], names) if len(names) > 1 else None,
        "drift": charts.drift(report["drift"], report["brand_band"], colours, drift_labels)
        if report["drift"]
        else None,
    }
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("voicecheck", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("report.html.j2").render(
        report=report,
        lang=lang,
        words=said,
        names=names,
        apart={name: apart_of(report["channels"][name], lang) for name in names},
        number=lambda value, decimals=0: number(value, lang, decimals),
        percent=lambda share: percent(share, lang),
        say=lambda label, value: said["colon"].format(label=label, value=value),
        few_posts=FEW_POSTS,
        kinds=[f"{said.get('kind_' + kind, kind)} {n}" for kind, n in counts.get("by_kind", {}).items()],
        flag_total=counts.get("posts", 0),
        any_few=any(point.get("few_posts") for series in report["drift"].values() for point in series),
        colours=colours,
        summary=summary_sentences(report, lang),
        charts={key: Markup(svg) if svg else None for key, svg in figures.items()},
        version=__version__,
    )


def write_html_report(report: dict[str, Any], out: TextIO) -> None:
    out.write(render(report))
