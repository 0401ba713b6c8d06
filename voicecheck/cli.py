"""The command line: thin click commands over voicecheck.api. The only place that exits."""

from __future__ import annotations

import os
import sys
import tomllib
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from voicecheck import MODEL_FORMAT, __version__
from voicecheck.clihelp import (
    TranslatedFloat,
    TranslatedFloatRange,
    TranslatedGroup,
    TranslatedIntRange,
    TranslatedPath,
    speak,
)
from voicecheck.errors import VoicecheckError
from voicecheck.formats import FORMATTERS, formatter
from voicecheck.formats.destination import atomic_output, cannot_write_stdout, refuse_overwriting_inputs
from voicecheck.formats.escape import to_json, visible_lines
from voicecheck.formats.report_text import write_report
from voicecheck.i18n import N_, _, gettext, ngettext, number, percent
from voicecheck.nlp import PIPELINE_MODES, pipeline_mode_from_env
from voicecheck.profile import (
    STARTER_PROFILE,
    BrandProfile,
    load_profile,
    parse_profile,
    term_problem,
    toml_string_body,
)
from voicecheck.readers import FORMATS, Columns, Post, ReadStats, parse_source, read_posts

if TYPE_CHECKING:
    from voicecheck.agency import BrandFolder
    from voicecheck.core import CheckResult, Note

F = TypeVar("F", bound=Callable[..., Any])

#: Runs over more files than this say only the totals of what they read.
BREAKDOWN_MAX_FILES = 20


class Exit(IntEnum):
    CLEAN = 0
    FINDINGS = 1
    ERROR = 2
    INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """Speak the language asked for from here on: --lang, else $VOICECHECK_LANG, else the locale."""
    from voicecheck import i18n

    del ctx, param
    lang = i18n.language_from(value) or i18n.DEFAULT
    speak(lang)
    return lang


def _asked_language() -> str | None:
    """The language this run was asked to speak (--lang, $VOICECHECK_LANG, the locale), or None."""
    from voicecheck import i18n

    source = click.get_current_context().get_parameter_source("lang")
    if source is click.core.ParameterSource.COMMANDLINE or i18n.language_from(None):
        return i18n.active()
    return None


def lang_option(func: F) -> F:
    """--lang on every command: the language of messages, reasons and reports."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "fr"]),
        is_eager=True,
        expose_value=False,
        callback=_set_language,
        help="Language of messages and reasons: en or fr. Default: $VOICECHECK_LANG, else the locale (LANG).",
    )(func)


def input_options(func: F) -> F:
    """Options shared by every command that reads posts."""
    options = [
        click.option("--text-col", help="Column (or JSON key) holding the post text; detected if omitted."),
        click.option("--channel-col", help="Column holding the channel (linkedin, instagram, ...)."),
        click.option("--id-col", help="Column holding the post id."),
        click.option(
            "--channel",
            "default_channel",
            help="Channel for posts whose file gives none. Tag one input with CHANNEL=PATH instead.",
        ),
        click.option("--skip-retweets", is_flag=True, help="Leave out retweets (others' words) from X archives."),
        click.option(
            "--input-format",
            type=click.Choice(sorted(FORMATS)),
            help="Read every file as this format instead of telling it from its content and name.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress or counts on stderr."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _posts(
    arguments: Iterable[str], opts: dict[str, Any], stats: ReadStats, raise_at_end: bool = True
) -> Iterator[Post]:
    columns = Columns(text=opts["text_col"], channel=opts["channel_col"], id=opts["id_col"])
    sources = [parse_source(argument) for argument in arguments]
    return read_posts(
        sources, stats, columns, opts["input_format"], opts["default_channel"], raise_at_end, opts["skip_retweets"]
    )


def _progress(items: Iterable[Any], quiet: bool, label: str) -> Iterator[Any]:
    """Count on stderr when it is a terminal, every 500 items; silent in pipes.

    `label` is a message id with {count}: N_("read {count} posts…").
    """
    show = not quiet and sys.stderr.isatty()
    count = 0
    for count, item in enumerate(items, start=1):
        if show and count % 500 == 0:
            click.echo("\r" + gettext(label).format(count=number(count, grouping=True)), err=True, nl=False)
        yield item
    if show and count >= 500:
        click.echo("\r" + " " * 40 + "\r", err=True, nl=False)


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        click.echo(visible_lines(message), err=True)  # file names may hold control characters


def _say_read(stats: ReadStats, quiet: bool) -> None:
    """What was read, file by file when a run mixes a few sources, then the totals."""
    if 1 < len(stats.sources) <= BREAKDOWN_MAX_FILES:
        for line in stats.breakdown():
            _say(f"  {line}", quiet)
    _say(stats.summary(), quiet)


def _run(action: Callable[[], int]) -> None:
    """Run a command, turning library errors and warnings into messages and exit codes."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            code = action()
            sys.stdout.flush()  # a full disk says so here, while it can still be an error message
        except VoicecheckError as exc:
            click.echo(visible_lines(_("error: {message}").format(message=exc)), err=True)
            code = Exit.ERROR
        except KeyboardInterrupt:
            # Not 1, which says posts drift: what was judged before is no verdict on the run.
            click.echo(_("interrupted: the run did not finish, and its results are incomplete"), err=True)
            code = Exit.INTERRUPTED
        except BrokenPipeError:
            sys.stderr.close()
            code = Exit.CLEAN
        except OSError as exc:
            error = cannot_write_stdout(exc)
            if error is None:
                raise
            _drop_unwritten_output()
            click.echo(visible_lines(_("error: {message}").format(message=error)), err=True)
            code = Exit.ERROR
        finally:
            for warning in caught:
                if issubclass(warning.category, UserWarning) and "voicecheck" in str(warning.filename):
                    click.echo(visible_lines(_("warning: {message}").format(message=warning.message)), err=True)
    sys.exit(int(code))


def _drop_unwritten_output() -> None:
    """Point standard output at the null device, so that what it still holds is not written again at exit."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)


@click.group(cls=TranslatedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, message=f"%(prog)s %(version)s (model format {MODEL_FORMAT})")
def main() -> None:
    """Learn a brand's voice and flag posts whose tone or vocabulary drifts from it.

    \b
    Typical use:
      voicecheck init                                    # write a starter brand.toml
      voicecheck fit posts/*.csv --brand brand.toml --out model/
      voicecheck check --model model/ drafts.csv         # exit 1 if a post drifts
      voicecheck report --model model/                   # channel against channel
      voicecheck tone drafts.csv                         # formality, humor, ...
    """


@main.command()
@click.argument("path", default="brand.toml", type=TranslatedPath(dir_okay=False))
@click.option("--name", default="Our Brand", show_default=True, help="The brand's name.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@lang_option
def init(path: str, name: str, force: bool) -> None:
    """Write a commented starter brand.toml to PATH.

    \b
    Example:
      voicecheck init --name "Maison Claire" brand.toml
    """

    def action() -> int:
        target = Path(path)
        if target.exists() and not force:
            raise VoicecheckError(_("{path} exists; pass --force to overwrite it").format(path=target))
        problem = term_problem(name)  # the name is one of the brand's terms: fit would refuse the file
        if problem:
            raise VoicecheckError(_("--name: {problem}").format(problem=problem))
        text = _(STARTER_PROFILE).format(name=toml_string_body(name))
        parse_profile(tomllib.loads(text), target)  # what fit will read: never a file it refuses
        with atomic_output(path) as handle:  # a missing folder or a full disk is an error, and no half file
            handle.write(text)
        message = _("wrote {path}: describe the brand in `proposition`, then run `voicecheck fit`")
        click.echo(message.format(path=target), err=True)
        return Exit.CLEAN

    _run(action)


@main.command()
@click.argument("samples", nargs=-1, required=True)
@click.option("--brand", type=TranslatedPath(dir_okay=False), help="The brand's brand.toml (optional).")
@click.option("--out", required=True, type=TranslatedPath(file_okay=False),
              help="Folder to save the model in: new, empty, or a model's, which is replaced in one step.")  # fmt: skip
@click.option("--false-flag-rate", default=0.05, show_default=True, type=TranslatedFloat(),
              help="Share of the brand's own posts that may be flagged; sets the threshold.")  # fmt: skip
@click.option("--pipeline", type=click.Choice(PIPELINE_MODES),
              help="spaCy pipelines: auto (trained when installed), blank, or trained. "
                   "Default: brand.toml's [nlp] pipeline, else $VOICECHECK_PIPELINE, else auto.")  # fmt: skip
@click.option("--peers", "peer_args", multiple=True, metavar="[NAME=]PATH",
              help="Posts of an account the brand must not sound like (repeatable); named NAME, "
                   "else after the file or folder.")  # fmt: skip
@input_options
@lang_option
def fit(samples: tuple[str, ...], brand: str | None, out: str, false_flag_rate: float,
        pipeline: str | None, peer_args: tuple[str, ...], **opts: Any) -> None:  # fmt: skip
    """Learn the brand's voice from SAMPLES (its posts, per channel) and save it to --out.

    SAMPLES are files or folders: platform exports (X archive, Facebook and Instagram
    downloads, LinkedIn and scheduler CSVs, WordPress, feeds, web pages) or your own CSV,
    JSON and Markdown. CHANNEL=PATH tags one input's posts with a channel.

    Works from 20 posts up (50 or more is much better). The flag threshold is calibrated on
    the brand's own posts, held out in turn, at --false-flag-rate.

    \b
    Examples:
      voicecheck fit samples/posts/*.csv --brand samples/brand.toml --out models/maison-claire
      voicecheck fit export.csv --text-col Message --channel linkedin --out model/
      voicecheck fit twitter-archive/ your_posts_1.json Shares.csv blog=site.WordPress.xml website=site/ --out model/
      voicecheck fit posts.csv --peers rival=rival_posts.csv --peers sister/ --out model/
    """

    def action() -> int:
        from voicecheck import api
        from voicecheck.store import check_target

        check_target(out)  # before reading and fitting: a folder of someone else's files is refused
        profile = load_profile(brand) if brand else BrandProfile()
        mode = pipeline or (profile.pipeline if brand and profile.pipeline != "auto" else pipeline_mode_from_env())
        stats = ReadStats()
        peers = _read_peers(peer_args, profile, opts)
        posts = _progress(_posts(samples, opts, stats), opts["quiet"], N_("reading {count} posts…"))
        try:
            saved = api.fit_to(out, posts, profile=profile, false_flag_rate=false_flag_rate, pipeline=mode, peers=peers)
        finally:
            _say_read(stats, opts["quiet"])  # what was read and skipped, even when fitting fails
        meta = saved.meta
        channels = ", ".join(f"{c} {n}" for c, n in sorted(meta["posts_per_channel"].items()))
        pipes = ", ".join(f"{k}: {v}" for k, v in meta["pipelines"].items())
        fitted = ngettext("fitted {count} posts ({channels})", "fitted {count} posts ({channels})", meta["posts"])
        said = [fitted.format(count=number(meta["posts"], grouping=True), channels=channels), *_peers_said(meta)]
        _say("; ".join([*said, _("pipelines {pipelines}").format(pipelines=pipes)]), opts["quiet"])
        threshold = meta["calibration"]["threshold_score"]
        message = _(
            "flag threshold: score below {score} (about {share} of the brand's own posts); model saved to {path}"
        )
        _say(message.format(score=number(threshold), share=percent(false_flag_rate), path=out), opts["quiet"])
        if saved.model.style_by_neighbours_:
            kinds = _("the brand's posts come in kinds: each post's style is compared with the brand posts nearest it")
            _say(kinds, opts["quiet"])
        return Exit.CLEAN

    _run(action)


def _read_peers(peer_args: Iterable[str], profile: BrandProfile, opts: dict[str, Any]) -> dict[str, list[Post]]:
    """The peers of --peers and of brand.toml's [peers], each read whole (their counts said on stderr)."""
    from voicecheck.peers import peer_spec

    sources: dict[str, list[str]] = {name: list(paths) for name, paths in profile.peers.items()}
    for argument in peer_args:
        name, path = peer_spec(argument)
        sources.setdefault(name, []).append(path)
    peers = {}
    for name, paths in sources.items():
        stats = ReadStats()
        try:
            peers[name] = list(_posts(paths, opts, stats))
        finally:
            _say(_("peer {name}: {summary}").format(name=name, summary=stats.summary()), opts["quiet"])
    return peers


def _peers_said(meta: dict[str, Any]) -> list[str]:
    """["peers: rival 100, sister 98"] for the summary line of a model that knows peers, else none."""
    peers = meta.get("peers", [])
    named = ", ".join(f"{p['name']} {p['posts']}" for p in peers)
    return [_("peers: {peers}").format(peers=named)] if peers else []


def _refuse_clashing_names(folders: list[BrandFolder], profiles: dict[str, BrandProfile]) -> None:
    """Before any fit: brands whose names differ only in case, or a brand.toml's peer named as
    another brand, would clash as peers (the later one replacing the other's posts unsaid)."""
    by_name: dict[str, str] = {}
    for brand in folders:
        other = by_name.setdefault(brand.name.casefold(), brand.name)
        if other != brand.name:
            message = _("brand folders {first} and {second} differ only in case: their peers' names would clash")
            raise VoicecheckError(message.format(first=repr(other), second=repr(brand.name)))
    for brand in folders:
        for name in profiles[brand.name].peers:
            if name.casefold() in by_name:
                message = _("{path}: [peers] names {name}, as another brand of the folder is named: name it apart")
                raise VoicecheckError(message.format(path=brand.profile, name=repr(name)))


@main.command("fit-all")
@click.argument("brands", type=TranslatedPath(file_okay=False))
@click.option("--out", required=True, type=TranslatedPath(file_okay=False),
              help="Folder to save the models in: one folder per brand, named as the brand's.")  # fmt: skip
@click.option("--false-flag-rate", default=0.05, show_default=True, type=TranslatedFloat(),
              help="Share of each brand's own posts that may be flagged; sets the threshold.")  # fmt: skip
@click.option(
    "--pipeline",
    type=click.Choice(PIPELINE_MODES),
    help="spaCy pipelines (default: each brand.toml's [nlp] pipeline, else $VOICECHECK_PIPELINE).",
)
@input_options
@lang_option
def fit_all(brands: str, out: str, false_flag_rate: float, pipeline: str | None, **opts: Any) -> None:
    """Fit every brand of an agency, each with the other brands as its peers.

    BRANDS holds one folder per brand: its brand.toml and its posts (any format `fit` reads).
    Each brand's model goes to OUT/NAME, NAME being its folder's name; its peers are the
    other brands, named after their folders, and its brand.toml's [peers].

    \b
    Example:
      voicecheck fit-all brands/ --out models/
    """

    def action() -> int:
        from voicecheck import api
        from voicecheck.agency import brand_folders
        from voicecheck.store import check_target

        folders = brand_folders(brands)
        for brand in folders:
            check_target(Path(out) / brand.name)  # every target refused before any fit
        profiles = {brand.name: load_profile(brand.profile) for brand in folders}
        _refuse_clashing_names(folders, profiles)
        posts = {}
        for brand in folders:
            stats = ReadStats()
            try:
                posts[brand.name] = list(_posts([str(path) for path in brand.sources], opts, stats))
            finally:
                _say(_("{brand}: {summary}").format(brand=brand.name, summary=stats.summary()), opts["quiet"])
        too_few = [(name, len(brand_posts)) for name, brand_posts in posts.items() if len(brand_posts) < api.MIN_POSTS]
        if too_few:  # said before any fit: a run that fails half way leaves some brands' models written
            name, count = too_few[0]
            message = _(
                "{brand}: a voice needs at least {minimum} posts to learn from; got {count} (no model was written)"
            )
            raise VoicecheckError(message.format(brand=name, minimum=api.MIN_POSTS, count=count))
        for brand in folders:
            profile = profiles[brand.name]
            peers = {name: brand_posts for name, brand_posts in posts.items() if name != brand.name}
            peers.update(_read_peers((), profile, opts))
            mode = pipeline or (profile.pipeline if profile.pipeline != "auto" else pipeline_mode_from_env())
            target = Path(out) / brand.name
            try:
                saved = api.fit_to(
                    target,
                    posts[brand.name],
                    profile=profile,
                    false_flag_rate=false_flag_rate,
                    pipeline=mode,
                    peers=peers,
                )
            except VoicecheckError as exc:  # which brand it is about
                raise VoicecheckError(_("{brand}: {summary}").format(brand=brand.name, summary=exc)) from exc
            count = saved.meta["posts"]
            fitted = ngettext("{brand}: fitted {count} posts", "{brand}: fitted {count} posts", count)
            said = [fitted.format(brand=brand.name, count=number(count, grouping=True)), *_peers_said(saved.meta)]
            _say("; ".join([*said, _("model saved to {path}").format(path=target)]), opts["quiet"])
        return Exit.CLEAN

    _run(action)


@main.command()
@click.argument("posts", nargs=-1)
@click.option("--model", "model_dir", required=True, type=TranslatedPath(), help="A model directory from `fit`.")
@click.option("--since", metavar="REF",
              help="Only post files changed since this git revision (of POSTS, or any if none given).")  # fmt: skip
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATTERS)), default="text", show_default=True,
              help="text: a table; json/jsonl/csv: for tools; excel-fr: CSV as Excel set to French opens it; "
                   "sarif: code scanning; github: annotations.")  # fmt: skip
@click.option("--fail-on", type=click.Choice(["drift", "never"]), default="drift", show_default=True,
              help="Exit 1 when a post drifts (drift), or only report (never).")  # fmt: skip
@click.option("-o", "--output", type=TranslatedPath(dir_okay=False), help="Write results here instead of stdout.")
@click.option("-j", "--jobs", default=1, show_default=True, type=TranslatedIntRange(1, 64),
              help="Worker processes judging posts in parallel, for large batches (Linux, macOS).")  # fmt: skip
@input_options
@lang_option
def check(
    posts: tuple[str, ...],
    model_dir: str,
    since: str | None,
    fmt: str,
    fail_on: str,
    output: str | None,
    jobs: int,
    **opts: Any,
) -> None:
    """Judge each post in POSTS against the brand's voice; explain every flag.

    Each post gets a score (0-100: its percentile among the brand's own held-out posts), a
    verdict (on-voice, drift, or insufficient when too short to judge) and reasons.
    Exit 0: no drift; 1: some post drifts (unless --fail-on never); 2: bad input or model.

    \b
    Examples:
      voicecheck check --model models/maison-claire samples/new_posts.csv
      voicecheck check --model model/ --format jsonl drafts/*.md > results.jsonl
      voicecheck check --model model/ --format github --fail-on drift posts/*.md
      voicecheck check --model model/ --since origin/main --format github   # CI: changed posts only
      voicecheck check --model model/ --jobs 2 --format csv -o results.csv export.csv
      echo "Our new soaps are here!" | voicecheck check --model model/ --channel instagram -
    """

    def action() -> int:
        from voicecheck import api
        from voicecheck.i18n import active
        from voicecheck.messages import note_message
        from voicecheck.store import load

        files = list(posts)
        if since is not None:  # an empty --since is refused, not taken as no --since
            from voicecheck.changes import changed_since
            from voicecheck.formats.escape import visible

            files = changed_since(since, posts)
            if not files:
                line = _("no post files changed since {revision}: nothing to check").format(revision=visible(since))
                _say(line, opts["quiet"])
                if output or fmt in ("json", "sarif"):  # a document with no results, not a stale or empty file
                    if output:
                        refuse_overwriting_inputs(output, [], model_dir)
                    with atomic_output(output) as out:
                        formatter(fmt, out).close({"line": line, "verdicts": {}, "input": ReadStats().as_dict()})
                return Exit.CLEAN
        elif not files:
            raise click.UsageError(_("give the post files to check, or --since REF"))
        if output:
            refuse_overwriting_inputs(output, files, model_dir)
        saved = load(model_dir)
        stats = ReadStats()
        verdicts: Counter[str] = Counter()
        with atomic_output(output) as out:  # replaces -o only once every result is written
            writer = formatter(fmt, out)
            posts_read = _posts(files, opts, stats, raise_at_end=False)
            render = _check_rendering(writer, active())
            checking = _progress(posts_read, opts["quiet"], N_("checked {count} posts…"))
            results = api.check_rendered(saved, checking, render, jobs=jobs)
            typos: dict[str, Note] = {}  # a channel name that looks misspelt, said once on stderr
            for verdict, notes, rendered in results:
                verdicts[verdict] += 1
                if isinstance(rendered, str):
                    writer.write_line(rendered)  # type: ignore[attr-defined]
                else:
                    writer.write(rendered)
                for note in notes:
                    typos.setdefault(note.figures["channel"], note)
            for note in typos.values():
                _say(_("warning: {message}").format(message=note_message(note, active())), opts["quiet"])
            checked = sum(verdicts.values())
            line = ngettext(
                "checked {count} post: {drift} drift, {on_voice} on-voice, {short} too short to judge; {read}",
                "checked {count} posts: {drift} drift, {on_voice} on-voice, {short} too short to judge; {read}",
                checked,
            ).format(
                count=number(checked, grouping=True),
                drift=verdicts["drift"],
                on_voice=verdicts["on-voice"],
                short=verdicts["insufficient"],
                read=stats.summary(),
            )
            writer.close({"line": line, "verdicts": dict(verdicts), "input": stats.as_dict()})
        if fmt not in ("text", "github"):
            _say(line, opts["quiet"])
        stats.raise_for_errors()  # after the readable files were processed
        return Exit.FINDINGS if verdicts["drift"] and fail_on == "drift" else Exit.CLEAN

    _run(action)


def _check_rendering(writer: Any, lang: str) -> Callable[[CheckResult], tuple[str, list[Note], Any]]:
    """What each checked post comes back as: its verdict, its channel-typo notes and its output.

    It runs where the post is judged (in a worker with --jobs): a format that writes a line
    per post (`line`) gets the line made there, others the result's fields.
    """
    from voicecheck.messages import result_dict

    line = getattr(writer, "line", None)

    def render(result: CheckResult) -> tuple[str, list[Note], Any]:
        fields = result_dict(result, lang)
        typos = [note for note in result.notes if note.code == "new_channel_typo"]
        return result.verdict, typos, line(fields) if line else fields

    return render


@main.command()
@click.argument("posts", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "jsonl", "json", "csv"]), default="text",
              show_default=True, help="Output format.")  # fmt: skip
@click.option("--pipeline", type=click.Choice(PIPELINE_MODES), help="spaCy pipelines (default: auto).")
@input_options
@lang_option
def tone(posts: tuple[str, ...], fmt: str, pipeline: str | None, **opts: Any) -> None:
    """Read each post on four tone dimensions, 0-100: formality, humor, irreverence, enthusiasm.

    Higher means more formal, funnier, more irreverent, more enthusiastic.

    \b
    Examples:
      voicecheck tone samples/new_posts.csv
      voicecheck tone --format jsonl drafts/*.md | jq .tone.formality
      git show HEAD~1:drafts/launch.md | voicecheck tone -   # "-": standard input
    """

    def action() -> int:
        from voicecheck import api
        from voicecheck.messages import tone_dict

        stats = ReadStats()
        out = sys.stdout
        mode = pipeline or pipeline_mode_from_env()
        posts_read = _progress(_posts(posts, opts, stats, raise_at_end=False), opts["quiet"], N_("read {count} posts…"))
        results = [tone_dict(r) for r in api.tone(posts_read, mode)]
        if fmt == "jsonl":
            for r in results:
                out.write(to_json(r) + "\n")
        elif fmt == "json":
            out.write(to_json({"results": results, "input": stats.as_dict()}, indent=2))
            out.write("\n")
        elif fmt == "csv":
            import csv

            from voicecheck.formats.escape import csv_row

            writer = csv.writer(out)
            writer.writerow(["id", "channel", "lang", "formality", "humor", "irreverence", "enthusiasm"])
            for r in results:  # cells a spreadsheet would run as formulas are quoted
                writer.writerow(csv_row([r["id"], r["channel"] or "", r["lang"], *r["tone"].values()]))
        else:
            _write_tone_table(out, results)
        _say(stats.summary(), opts["quiet"])
        stats.raise_for_errors()  # after the readable files were processed
        return Exit.CLEAN

    _run(action)


#: The tone table's columns: a result's tone field and the heading over it (the language, then the id, follow).
TONE_COLUMNS = (("formality", N_("FORMALITY")), ("humor", N_("HUMOR")), ("irreverence", N_("IRREV")),
                ("enthusiasm", N_("ENTHUS")))  # fmt: skip


def _write_tone_table(out: Any, results: list[dict[str, Any]]) -> None:
    """The tone of each post as `tone` prints it: one figure per dimension, under headings in the user's language."""
    headings = [gettext(heading) for _field, heading in TONE_COLUMNS]
    widths = [max(len(heading), 5) for heading in headings]
    lang = gettext("LANG")
    out.write(" ".join(f"{h:>{w}}" for h, w in zip(headings, widths, strict=True)) + f"  {lang:<4} {gettext('ID')}\n")
    for r in results:
        figures = (f"{r['tone'][name]:>{w}.0f}" for (name, _heading), w in zip(TONE_COLUMNS, widths, strict=True))
        out.write(" ".join(figures) + f"  {r['lang']:<{max(len(lang), 4)}} {r['id']}\n")


@main.command()
@click.argument("posts", nargs=-1)
@click.option("--model", "model_dir", required=True, type=TranslatedPath(), help="A model directory from `fit`.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="text: tables; json: every figure, for tools; html: one page with charts, to share.")  # fmt: skip
@click.option("-o", "--output", type=TranslatedPath(dir_okay=False), help="Write the report here instead of stdout.")
@input_options
@lang_option
def report(posts: tuple[str, ...], model_dir: str, fmt: str, output: str | None, **opts: Any) -> None:
    """Compare the brand's channels: does it sound like one brand everywhere?

    Without POSTS, reports on the posts the model learned from; with POSTS, checks them and
    compares their channels. Names the most divergent channel and what sets it apart, and
    shows drift month by month where posts are dated.

    \b
    Examples:
      voicecheck report --model models/maison-claire
      voicecheck report --model model/ --format json last_quarter.csv | jq .most_divergent_channel
      voicecheck report --model model/ --format html --output report.html
    """
    lang = _asked_language()

    def action() -> int:
        from voicecheck import api
        from voicecheck.store import load

        saved = load(model_dir)
        if posts:
            stats = ReadStats()
            try:
                result = api.report(
                    saved, _progress(_posts(posts, opts, stats), opts["quiet"], N_("read {count} posts…")), lang
                )
            finally:
                _say_read(stats, opts["quiet"])
        else:
            result = api.report(saved, lang=lang)
        if output:
            refuse_overwriting_inputs(output, posts, model_dir)
        with atomic_output(output) as out:  # a failed report leaves -o as it was, never empty
            if fmt == "json":
                out.write(to_json(result, indent=2))
                out.write("\n")
            elif fmt == "html":
                from voicecheck.formats.report_html import write_html_report

                write_html_report(result, out)
            else:
                write_report(result, out)
        return Exit.CLEAN

    _run(action)


@main.command()
@click.option("--model", "model_dir", required=True, type=TranslatedPath(), help="A model directory from `fit`.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default); any other needs --token.")  # fmt: skip
@click.option("--port", default=8088, show_default=True, type=TranslatedIntRange(1, 65535), help="Port to listen on.")
@click.option("--token", envvar="VOICECHECK_TOKEN",
              help="Require `Authorization: Bearer TOKEN` (or set $VOICECHECK_TOKEN).")  # fmt: skip
@click.option("--insecure-no-token", is_flag=True,
              help="Serve a non-loopback --host without a token (anyone who reaches it may call it).")  # fmt: skip
@click.option("--max-body", default=1024 * 1024, show_default=True, type=TranslatedIntRange(1),
              help="Largest request body, in bytes; larger ones get 413.")  # fmt: skip
@click.option("--max-posts", default=100, show_default=True, type=TranslatedIntRange(1),
              help="Most posts in one request; more get 422.")  # fmt: skip
@click.option("--max-chars", default=100_000, show_default=True, type=TranslatedIntRange(1),
              help="Most characters of post text in one request, all posts together; more get 422.")  # fmt: skip
@click.option("--read-timeout", default=10.0, show_default=True, type=TranslatedFloatRange(0, min_open=True),
              help="Seconds a client has to send a request's headers, and again its body; then 408.")  # fmt: skip
@click.option("--max-connections", default=64, show_default=True, type=TranslatedIntRange(1),
              help="Connections (and requests) at once; a request over it gets 503.")  # fmt: skip
@click.option("--threads", default=2, show_default=True, type=TranslatedIntRange(1),
              help="Requests judged at once, each in a thread; more wait their turn.")  # fmt: skip
@click.option("--workers", default=1, show_default=True, type=TranslatedIntRange(1),
              help="Processes serving requests, forked once the model is loaded (one per core).")  # fmt: skip
@lang_option
def serve(
    model_dir: str, host: str, port: int, token: str | None, insecure_no_token: bool, workers: int, **limits: Any
) -> None:
    """Serve the model over HTTP so a CMS can check posts before publishing them.

    GET / is the draft page, where a writer pastes a draft and sees the verdict as they type;
    GET /report the consistency report. GET /health; POST /v1/check and /v1/tone with
    {"posts": [{"id", "text", "channel"}]}; GET /openapi.json. The model loads once; requests
    are judged off the event loop, so /health answers while a large request is judged.

    \b
    Examples:
      voicecheck serve --model models/maison-claire
      voicecheck serve --model model/ --host 0.0.0.0 --port 9000 --token "$SECRET"
      curl -s localhost:8088/v1/check -H 'Content-Type: application/json' \\
        -d '{"posts": [{"id": "1", "text": "Hello!"}]}'
    """

    def action() -> int:
        try:
            import voicecheck.http11  # noqa: F401  (the protocol it serves HTTP/1.1 with: httptools')
            from voicecheck.server import Limits, check_exposure
            from voicecheck.server import serve as run_server
        except ImportError as exc:
            message = _("serve needs its extra: pip install 'voicecheck[serve]' ({error})")
            raise VoicecheckError(message.format(error=exc)) from exc
        from voicecheck.store import load

        check_exposure(host, token, insecure_no_token)  # before the model loads: a refusal is instant
        saved = load(model_dir)
        address = f"[{host}]" if ":" in host and not host.startswith("[") else host
        serving = _("serving {model} on {url} (Ctrl-C to stop)")
        click.echo(serving.format(model=model_dir, url=f"http://{address}:{port}"), err=True)
        run_server(saved, host, port, token, Limits(**limits), insecure_no_token, workers)
        return Exit.CLEAN

    _run(action)


def run() -> None:
    """The `voicecheck` command: `main`, the objects of the run then kept out of the interpreter's last collection.

    When Python exits it collects garbage over every object still alive (spaCy's pipelines,
    the model, their caches) only to free them: a fifth of a cold check's time. Freezing them
    first skips that walk; atexit handlers run and files and buffers close as ever.
    """
    import gc

    try:
        main()
    finally:
        gc.freeze()
