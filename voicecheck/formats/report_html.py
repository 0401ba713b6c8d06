"""The report as one self-contained HTML page: a view of `report --format json`, nothing more.

Charts are matplotlib SVG inlined in a Jinja2 template; no script, font or style is fetched,
so the file opens offline and prints. Headings and the summary are in the brand's language.
"""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck import __version__, charts
from voicecheck.errors import VoicecheckError
from voicecheck.features.tone import TONE_DIMENSIONS

WORDS = {
    "en": {
        "title": "Voice report",
        "summary": "In short",
        "map": "The voice space",
        "map_note": (
            "Each point is a post, placed by its wording (character n-grams); the big dots are the channels' centres."
        ),
        "core": "brand core",
        "proposition": "brand proposition",
        "tone": "Tone by channel",
        "tone_note": "Each channel's mean, 0–100; the grey bar is the middle 80% of the brand's own posts.",
        "band": "brand's range",
        "distances": "How far apart the channels are",
        "distances_note": "0 means the same voice; the most divergent channel is the one furthest from all the others.",
        "apart": "What sets each channel apart",
        "drift": "Drift over time",
        "drift_note": (
            "Mean score per month (higher is closer to the brand); the grey band holds the middle 80% of the"
            " brand's own posts."
        ),
        "no_dates": "The posts have no dates, so there is no drift over time to show.",
        "score": "score",
        "flagged": "Posts that drift",
        "none_flagged": "No post drifts from the voice.",
        "nearest": "How the brand usually says it",
        "channel": "Channel",
        "posts": "Posts",
        "distance": "Divergence",
        "mean_score": "Mean score",
        "flagged_share": "Flagged",
        "formality": "formality",
        "humor": "humor",
        "irreverence": "irreverence",
        "enthusiasm": "enthusiasm",
        "footer": "Made by voicecheck {version}",
        "colon": ": ",
        "channels": "channels",
    },
    "fr": {
        "title": "Rapport de voix",
        "summary": "En bref",
        "map": "L'espace de la voix",
        "map_note": (
            "Chaque point est une publication, placée selon ses mots (n-grammes de caractères); les gros "
            "points sont les centres des canaux."
        ),
        "core": "cœur de la marque",
        "proposition": "proposition de marque",
        "tone": "Le ton par canal",
        "tone_note": "Moyenne de chaque canal, de 0 à 100; la barre grise couvre 80 % des publications de la marque.",
        "band": "plage de la marque",
        "distances": "L'écart entre les canaux",
        "distances_note": "0 signifie la même voix; le canal le plus divergent est le plus éloigné de tous les autres.",
        "apart": "Ce qui distingue chaque canal",
        "drift": "La dérive dans le temps",
        "drift_note": (
            "Score moyen par mois (plus haut = plus proche de la marque); la bande grise couvre 80 % des "
            "publications de la marque."
        ),
        "no_dates": "Les publications ne sont pas datées : aucune dérive dans le temps à montrer.",
        "score": "score",
        "flagged": "Publications qui dérivent",
        "none_flagged": "Aucune publication ne s'écarte de la voix.",
        "nearest": "Comment la marque le dit d'habitude",
        "channel": "Canal",
        "posts": "Publications",
        "distance": "Divergence",
        "mean_score": "Score moyen",
        "flagged_share": "Signalées",
        "formality": "formalité",
        "humor": "humour",
        "irreverence": "irrévérence",
        "enthusiasm": "enthousiasme",
        "footer": "Produit par voicecheck {version}",
        "colon": " : ",
        "channels": "canaux",
    },
}


SENTENCES = {
    "en": {
        "posts": "{brand}: {posts} posts on {channels} channels.",
        "divergent": "The channel that strays furthest from the voice is {channel}{apart}.",
        "closest": "The closest to the brand's core is {channel}.",
        "tone": "The tone runs from the most casual, {casual}, to the most formal, {formal}.",
        "flagged": "{count} posts drift from the voice.",
        "flagged_one": "1 post drifts from the voice.",
        "brand": "The brand",
    },
    "fr": {
        "posts": "{brand} : {posts} publications sur {channels} canaux.",
        "divergent": "Le canal qui s'écarte le plus de la voix est {channel}{apart}.",
        "closest": "Le plus proche du cœur de la marque est {channel}.",
        "tone": "Le ton va du plus familier, {casual}, au plus soutenu, {formal}.",
        "flagged": "{count} publications s'écartent de la voix.",
        "flagged_one": "1 publication s'écarte de la voix.",
        "brand": "La marque",
    },
}


def summary_sentences(report: dict[str, Any], lang: str) -> list[str]:
    """The report's main findings in a few plain sentences, in English or French."""
    say, colon = SENTENCES[lang], WORDS[lang]["colon"]
    channels = report["channels"]
    sentences = [
        say["posts"].format(brand=report["brand"] or say["brand"], posts=report["posts"], channels=len(channels))
    ]
    divergent = report["most_divergent_channel"]
    if divergent:
        apart = ", ".join(channels[divergent]["sets_apart_fr" if lang == "fr" else "sets_apart"][:3])
        sentences.append(say["divergent"].format(channel=divergent, apart=f"{colon}{apart}" if apart else ""))
    if len(channels) > 1:
        closest = min(channels, key=lambda c: channels[c]["divergence"])
        if closest != divergent:
            sentences.append(say["closest"].format(channel=closest))
        by_formality = sorted(channels, key=lambda c: channels[c]["tone"]["formality"])
        sentences.append(say["tone"].format(casual=by_formality[0], formal=by_formality[-1]))
    flagged = sum(round(c["flagged_share"] * c["posts"]) for c in channels.values())
    sentences.append(say["flagged_one"] if flagged == 1 else say["flagged"].format(count=flagged))
    return sentences


def render(report: dict[str, Any]) -> str:
    """The HTML page for a report (the dict of `api.report`)."""
    try:
        import jinja2
        from markupsafe import Markup
    except ImportError as exc:
        raise VoicecheckError(f"the HTML report needs its extra: pip install 'voicecheck[html]' ({exc})") from exc
    lang = str(report.get("language")) if report.get("language") in WORDS else "en"
    words = WORDS[lang]
    names = sorted(report["channels"])
    colours = charts.channel_colours(names)
    drift_labels = {"band": words["band"], "score": words["score"]}
    tone_labels = {d: words[d] for d in TONE_DIMENSIONS}
    figures = {
        "map": charts.voice_map(report["map"], colours, {"core": words["core"], "proposition": words["proposition"]}),
        "tone": charts.tone_profile(
            report["channels"], report["brand_tone_range"], colours, tone_labels, words["band"]
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
        words=words,
        names=names,
        colours=colours,
        summary=summary_sentences(report, lang),
        charts={key: Markup(svg) if svg else None for key, svg in figures.items()},
        apart_key="sets_apart_fr" if lang == "fr" else "sets_apart",
        version=__version__,
    )


def write_html_report(report: dict[str, Any], out: TextIO) -> None:
    out.write(render(report))
