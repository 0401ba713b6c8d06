"""Peers: accounts the brand must not sound like, given to fit, kept in the model, named by check."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import ROOT, SAMPLE_POSTS, SAMPLES, run_cli
from tests.test_store_tampering import edit_array
from voicecheck import api
from voicecheck.core import Post
from voicecheck.errors import ModelError, VoicecheckError
from voicecheck.features.style import STYLE_FEATURES
from voicecheck.features.table import build_table
from voicecheck.judge import judge
from voicecheck.messages import result_dict
from voicecheck.model import post_sizes
from voicecheck.nlp import parse
from voicecheck.peers import _design, brand_odds, neutral_contrast_scale, peer_spec, style_scale
from voicecheck.profile import load_profile
from voicecheck.readers import ReadStats, read_posts
from voicecheck.store import META_FILE, PEERS_FILE, load, model_folder, save, training_hash

STYLES = len(STYLE_FEATURES)

X_ARCHIVE = ROOT / "tests" / "fixtures" / "exports" / "x-archive"


def _hype(count: int, seed: int = 0) -> list[str]:
    """Posts of a crypto influencer: nothing like a cleaning company."""
    rng = random.Random(seed)
    coins = ["DOGE", "PEPE", "SHIB", "BONK", "WIF", "FLOKI"]
    openers = ["gm fam", "ngl", "bro", "LFG", "ser", "wagmi"]
    closers = ["HODL 💎🙌", "to the moon 🚀🚀🚀", "not financial advice lol", "ape in or cry later 🤡", "wen lambo??"]
    return [
        f"{rng.choice(openers)} ${rng.choice(coins)} just pumped {rng.randint(2, 90)}x!!! "
        f"{rng.choice(closers)} #crypto #{rng.choice(coins).lower()}"
        for _ in range(count)
    ]


def _finance(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [
        f"Third-quarter revenue rose {rng.randint(2, 19)}% year over year to ${rng.randint(100, 900)} million; "
        f"adjusted EBITDA margin expanded {rng.randint(20, 300)} basis points. Guidance for fiscal "
        f"{rng.randint(2025, 2027)} is reaffirmed, subject to prevailing macroeconomic conditions."
        for _ in range(count)
    ]


def _tribune(count: int, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    themes = ["la souveraineté nationale", "la justice fiscale", "l'école de la République", "nos retraites"]
    return [
        f"Mes chers compatriotes, le gouvernement a trahi {rng.choice(themes)}. Le {rng.randint(1, 28)} "
        f"mars, levons-nous pour {rng.choice(themes)} ! La France mérite mieux que ce mépris."
        for _ in range(count)
    ]


def _write_csv(path: Path, texts: list[str], prefix: str) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([f"{prefix}-{i}", text] for i, text in enumerate(texts))
    return path


def _write_jsonl(path: Path, texts: list[str], prefix: str) -> Path:
    lines = [json.dumps({"id": f"{prefix}-{i}", "text": text}, ensure_ascii=False) for i, text in enumerate(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write_markdown(folder: Path, texts: list[str], prefix: str) -> Path:
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"{prefix}-{i}.md").write_text(f"---\nid: {prefix}-{i}\nchannel: x\n---\n{text}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def peer_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One peer in each reader format: a CSV, a JSON Lines file, a Markdown folder and an X archive."""
    folder = tmp_path_factory.mktemp("peers")
    return {
        "hype": _write_csv(folder / "hype.csv", _hype(40), "hype"),
        "finance": _write_jsonl(folder / "finance.jsonl", _finance(40), "fin"),
        "tribune": _write_markdown(folder / "tribune", _tribune(40), "trib"),
        "archive": X_ARCHIVE,
    }


def _read(path: Path) -> list[Post]:
    return list(read_posts([path], ReadStats()))


@pytest.fixture(scope="module")
def with_peers(sample_posts: list[Post], peer_files: dict[str, Path]) -> api.SavedModel:
    peers = {name: _read(path) for name, path in peer_files.items()}
    return api.fit(sample_posts, load_profile(SAMPLES / "brand.toml"), peers=peers)


def test_a_peer_is_named_by_its_argument_or_after_its_file() -> None:
    assert peer_spec("rival=exports/posts.csv") == ("rival", "exports/posts.csv")
    assert peer_spec("exports/rival_posts.csv") == ("rival_posts", "exports/rival_posts.csv")
    assert peer_spec("exports/sister/") == ("sister", "exports/sister/")
    with pytest.raises(VoicecheckError, match="cannot name a peer"):
        peer_spec(" =posts.csv")
    for nothing in ("rival=", ""):  # as a path, nothing would be the current folder's drafts
        with pytest.raises(VoicecheckError, match="give the peer's file or folder"):
            peer_spec(nothing)


def test_peers_from_every_reader_format_are_kept_with_names_and_counts(
    with_peers: api.SavedModel, sample_posts: list[Post], peer_files: dict[str, Path]
) -> None:
    meta = with_peers.meta
    counts = {peer["name"]: peer["posts"] for peer in meta["peers"]}
    assert counts == {"hype": 40, "finance": 40, "tribune": 40, "archive": len(_read(X_ARCHIVE))}
    # The peers' posts never count as the brand's.
    assert meta["posts"] == len(sample_posts) == len(with_peers.table)
    view = with_peers.model.peers_
    assert view is not None and view.names == list(counts) and view.counts == list(counts.values())
    # The training hash covers the peers: the same brand posts alone hash otherwise.
    assert meta["training_hash"] != training_hash(with_peers.table.posts)


def test_without_peers_the_model_is_as_before(fitted: api.SavedModel) -> None:
    assert fitted.model.peers_ is None
    assert "peers" not in fitted.meta
    assert fitted.meta["training_hash"] == training_hash(fitted.table.posts)
    assert fitted.model.smart_punctuation  # ’ “ ” … — count in the style view: no peer view sees them


def test_a_post_in_a_peers_voice_names_the_peer_with_its_nearest_posts(with_peers: api.SavedModel) -> None:
    posts = [
        Post("p1", "gm fam $DOGE just pumped 40x!!! to the moon 🚀🚀🚀 #crypto #doge", "instagram"),
        Post(
            "p2", "Revenue rose 12% year over year to $450 million; guidance for fiscal 2026 is reaffirmed.", "linkedin"
        ),
    ]
    results = list(api.check(with_peers, posts))
    named = []
    for result in results:
        assert result.flagged
        peer_reasons = [reason for reason in result.reasons if reason.kind == "peer"]
        assert peer_reasons, result.reasons
        found = result_dict(result, "en")["reasons"][0]
        assert found["kind"] == "peer" and found["code"] == "VC301"
        assert found["message"] == f"sounds more like {found['peer']} than like the brand"
        assert found["examples"] and all(set(e) == {"id", "channel", "text", "similarity"} for e in found["examples"])
        assert found["suggestion"]["code"] == "unlike_peer"
        named.append((found["peer"], found["examples"][0]["id"]))
    assert named[0][0] == "hype" and named[0][1].startswith("hype-")
    assert named[1][0] == "finance" and named[1][1].startswith("fin-")


def test_the_peer_scoring_found_is_the_peer_judging_would_find_again(with_peers: api.SavedModel) -> None:
    posts = [
        Post("p1", "gm fam $DOGE just pumped 40x!!! to the moon 🚀🚀🚀 #crypto #doge", "instagram"),
        Post("p2", "Revenue rose 12% year over year; guidance for fiscal 2026 is reaffirmed.", "linkedin"),
        Post("p3", "Un grand ménage du printemps pour votre cuisine, on s'en occupe!", "facebook"),
    ]
    table = build_table(api._parse_against(with_peers, posts))
    scored, rows = with_peers.model.scored(table), np.arange(len(table))
    assert scored.closer_peer is not None
    assert scored.closer_peer.tolist() == with_peers.model.peers_.nearest(table, rows).tolist()  # type: ignore[union-attr]
    assert scored.closer_peer[:2].tolist() == [
        with_peers.model.peers_.names.index(name) for name in ("hype", "finance")
    ]  # type: ignore[union-attr]
    given = judge(with_peers, table, rows, scored.score, scored.below, closer_peer=scored.closer_peer)
    found_again = judge(with_peers, table, rows, scored.score, scored.below)
    assert [result_dict(r, "en") for r in given] == [result_dict(r, "en") for r in found_again]


def test_the_logits_are_the_product_of_every_feature_with_the_coefficients(with_peers: api.SavedModel) -> None:
    view = with_peers.model.peers_
    assert view is not None
    table = build_table(api._parse_against(with_peers, _read(SAMPLE_POSTS[0])[:40]))
    design = _design(table, view.char_idf, view.word_idf, view.style_scale)
    every = np.zeros((design.shape[1], len(view.intercept)), dtype=view.coef.dtype)
    every[view.columns] = view.coef.T  # the coefficients over every feature, 0 where the regression weighs none
    assert np.array_equal(view.logits(table), np.asarray(design @ every) + view.intercept)


def test_the_brands_own_posts_keep_the_nominal_false_flag_rate(with_peers: api.SavedModel) -> None:
    flagged = np.mean(with_peers.model.heldout_below())
    assert 0.02 <= flagged <= 0.08


def test_a_model_with_peers_is_saved_and_loaded_as_data(with_peers: api.SavedModel, tmp_path: Path) -> None:
    save(with_peers, tmp_path / "model")
    loaded = load(tmp_path / "model")
    view, again = with_peers.model.peers_, loaded.model.peers_
    assert view is not None and again is not None
    assert again.names == view.names and again.counts == view.counts
    assert np.array_equal(again.coef, view.coef) and np.array_equal(again.columns, view.columns)
    assert np.array_equal(again.style_scale, view.style_scale)
    assert np.array_equal(again.contrast_scale, view.contrast_scale) and again.smoothing == view.smoothing
    assert np.array_equal(again.table.words.indices, view.table.words.indices)  # the contrast reads the peers' words
    assert not with_peers.model.smart_punctuation and not loaded.model.smart_punctuation  # left to the peers' view
    posts = [
        Post("p", "ngl $PEPE just pumped 12x!!! HODL 💎🙌 #crypto", "x"),
        Post("q", "Un ménage de printemps?", "facebook"),
    ]
    before, after = list(api.check(with_peers, posts)), list(api.check(loaded, posts))
    assert [result_dict(r, "en") for r in before] == [result_dict(r, "en") for r in after]


def test_a_model_with_peers_readied_for_batches_judges_as_before(with_peers: api.SavedModel, tmp_path: Path) -> None:
    # What a service's warm-up does before its first request: a named peer's nearest posts included.
    save(with_peers, tmp_path / "model")
    fresh, readied = load(tmp_path / "model"), load(tmp_path / "model")
    posts = [
        Post("p", "ngl $PEPE just pumped 12x!!! HODL 💎🙌 #crypto", "x"),
        Post("q", "gm fam $DOGE just pumped 40x!!! to the moon 🚀🚀🚀 #crypto #doge", "instagram"),
        Post("r", "Un ménage de printemps?", "facebook"),
    ]
    api.ready_for_batches(readied, posts[:1])
    before, after = list(api.check(fresh, posts)), list(api.check(readied, posts))
    assert sum(any(reason.kind == "peer" for reason in result.reasons) for result in after) == 2
    assert [result_dict(r, "en") for r in before] == [result_dict(r, "en") for r in after]


def test_a_post_that_echoes_a_peer_post_loses_score(with_peers: api.SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    view = with_peers.model.peers_
    assert view is not None and view.nearest_scale.shape == (2, 2)
    echo = view.table.posts[0]
    posts = [Post("echo", echo.text, "instagram"), Post("plain", "Our new loaf is out of the oven.", "instagram")]
    table = build_table(parse(posts, pipelines))
    similarity = view.nearest_similarity(table)
    assert similarity[0] > similarity[1]
    assert similarity[0] > view.nearest_scale[table.lang_index[0], 0]  # nearer a peer post than brand posts are
    logits_only = view.weight * (brand_odds(view.logits(table)) - view.scale[0]) / view.scale[1]
    assert view.view(table)[0] < logits_only[0]  # its likeness to the peer post is taken away


def test_the_peer_view_reads_how_posts_are_written_beside_their_words(
    with_peers: api.SavedModel,
    pipelines,  # type: ignore[no-untyped-def]
) -> None:
    view = with_peers.model.peers_
    assert view is not None
    posts = [Post("plain", "Notre équipe lave vos vitres ce printemps.", "facebook")]
    table = build_table(parse(posts, pipelines))
    hype = view.names.index("hype")
    written_like_hype = view.table.style[view.peer_of_row == hype].mean(axis=0)
    same_words = dataclasses.replace(table, style=written_like_hype[None, :])
    # The same n-grams, written as the hype account writes (its emoji, its exclamations): likelier theirs.
    assert brand_odds(view.logits(same_words))[0] < brand_odds(view.logits(table))[0]
    assert view.logits(same_words)[0, hype + 1] > view.logits(table)[0, hype + 1]


def test_a_post_in_a_peers_words_is_set_against_that_peer_and_loses_score(
    with_peers: api.SavedModel,
    pipelines,  # type: ignore[no-untyped-def]
) -> None:
    model, view = with_peers.model, with_peers.model.peers_
    assert view is not None
    posts = [
        Post("brand", "Notre équipe lave vos vitres ce printemps, sans produits agressifs.", "facebook"),
        Post("tribune", _tribune(1, seed=7)[0], "facebook"),
    ]
    table = build_table(parse(posts, pipelines))
    raw = view.contrast_values(table, model._raw_components(table)[:, :2])  # the lexical views' means, as scored
    assert raw.shape == (2, 2) and np.all(raw[1] < raw[0])  # words and n-grams: nearer the tribune's language
    added = view.contrast(raw, post_sizes(table))
    assert added[1] < added[0]


def test_the_contrast_is_scaled_on_the_brands_held_out_posts(with_peers: api.SavedModel) -> None:
    view = with_peers.model.peers_
    assert view is not None
    assert (
        view.contrast_scale.shape == (4, 2)
        and np.all(view.contrast_scale[1] >= 1)
        and np.all(view.contrast_scale[3] > 0)
    )
    assert not np.array_equal(view.contrast_scale, neutral_contrast_scale())


def test_style_scale_leaves_out_features_no_post_has() -> None:
    style = np.zeros((4, len(STYLE_FEATURES)))
    style[:, 0] = [1.0, 2.0, 3.0, 4.0]
    style[:, 1] = np.nan  # a tagger's feature, without a tagger
    scale = style_scale(style)
    assert scale.shape == (2, len(STYLE_FEATURES))
    assert np.all(np.isfinite(scale)) and np.all(scale[1] > 0)
    assert scale[0, 1] == 0.0 and scale[1, 1] == 1.0


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("peer_style_scale", lambda a: a.__setitem__((1, 0), 0.0), "has a style spread that is not positive"),
        ("peer_style_scale", lambda a: a.__setitem__((0, 3), np.nan), "holds values that are not finite"),
        ("peer_style_scale", lambda a: a[:, :-1], rf"has shape \(2, {STYLES - 1}\), expected \(2, {STYLES}\)"),
        ("peer_contrast_scale", lambda a: a.__setitem__((3, 1), 0.0), "has a post size below 1 or a spread"),
        ("peer_contrast_scale", lambda a: a.__setitem__((1, 0), 0.5), "has a post size below 1 or a spread"),
        ("peer_contrast_scale", lambda a: a.__setitem__((0, 0), np.inf), "holds values that are not finite"),
        ("peer_contrast_scale", lambda a: a[:3], r"has shape \(3, 2\), expected \(4, 2\)"),
    ],
)
def test_a_tampered_scale_of_the_peers_is_refused(
    with_peers: api.SavedModel, tmp_path: Path, name: str, change: Any, message: str
) -> None:
    save(with_peers, tmp_path / "model")
    edit_array(tmp_path / "model", name, change)
    with pytest.raises(ModelError, match=f"{name}: {message}"):
        load(tmp_path / "model")


def test_a_tampered_peer_is_refused_on_load(with_peers: api.SavedModel, tmp_path: Path) -> None:
    save(with_peers, tmp_path / "model")
    folder = model_folder(tmp_path / "model")
    original = (folder / PEERS_FILE).read_text(encoding="utf-8")
    (folder / PEERS_FILE).write_text(original.replace("pumped", "dumped", 1), encoding="utf-8")
    with pytest.raises(ModelError, match="training posts differ"):
        load(tmp_path / "model")
    (folder / PEERS_FILE).write_text(original, encoding="utf-8")
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    meta["peers"][0]["posts"] += 1
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError):
        load(tmp_path / "model")
    meta["peers"][0]["posts"] -= 1
    meta["peers"][1]["name"] = meta["peers"][0]["name"]
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="two peers are named"):
        load(tmp_path / "model")
    meta["peers"][1]["name"] = "other"
    meta["params"]["smart_punctuation"] = True  # fit leaves those marks to the peers' view
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="smart_punctuation: must be false for a model with peers"):
        load(tmp_path / "model")
    meta["params"]["smart_punctuation"] = False
    meta["style_kinds"] = {"gain": 1.0, "margin": 0.5, "nearest_posts": True}  # fit keeps the centre with peers
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="style_kinds.nearest_posts: does not follow from the gain, the margin"):
        load(tmp_path / "model")


def test_a_peer_with_too_few_posts_or_a_repeated_name_is_an_error(sample_posts: list[Post]) -> None:
    few = {"tiny": [Post("t1", "gm fam LFG 🚀", "x")]}
    with pytest.raises(VoicecheckError, match="peer 'tiny' has 1 posts"):
        api.fit(sample_posts, peers=few)
    hype = [Post(f"h{i}", text, "x") for i, text in enumerate(_hype(10))]
    with pytest.raises(VoicecheckError, match="two peers are named"):
        api.fit(sample_posts, peers={"Rival": hype, "rival": hype})


def test_fit_and_check_name_the_peer_on_the_command_line(tmp_path: Path, peer_files: dict[str, Path]) -> None:
    model = tmp_path / "model"
    fitted = run_cli(
        "fit", *SAMPLE_POSTS, "--brand", SAMPLES / "brand.toml", "--out", model,
        "--peers", peer_files["hype"], "--peers", f"bank={peer_files['finance']}",
    )  # fmt: skip
    assert fitted.returncode == 0, fitted.stderr
    assert "peers: hype 40, bank 40" in fitted.stderr
    drafts = _write_csv(tmp_path / "drafts.csv", ["ser $BONK just pumped 30x!!! wen lambo?? #crypto #bonk"], "d")
    for fmt in ("jsonl", "text", "csv"):
        checked = run_cli("check", "--model", model, "--format", fmt, drafts)
        assert checked.returncode == 1, checked.stderr
        assert "sounds more like hype than like the brand" in checked.stdout
    line = json.loads(run_cli("check", "--model", model, "--format", "jsonl", drafts).stdout)
    reason = next(r for r in line["reasons"] if r["kind"] == "peer")
    assert reason["peer"] == "hype" and reason["examples"][0]["id"].startswith("hype-")


def test_brand_toml_lists_peers_relative_to_itself(tmp_path: Path, peer_files: dict[str, Path]) -> None:
    brand = tmp_path / "brand"
    brand.mkdir()
    shutil.copy(peer_files["hype"], brand / "hype.csv")
    toml = (SAMPLES / "brand.toml").read_text(encoding="utf-8") + '\n[peers]\nhype = ["hype.csv"]\n'
    (brand / "brand.toml").write_text(toml, encoding="utf-8")
    assert load_profile(brand / "brand.toml").peers == {"hype": (str(brand / "hype.csv"),)}
    fitted = run_cli("fit", *SAMPLE_POSTS, "--brand", brand / "brand.toml", "--out", tmp_path / "model")
    assert fitted.returncode == 0, fitted.stderr
    assert "peers: hype 40" in fitted.stderr
    bad = toml.replace('hype = ["hype.csv"]', 'hype = "hype.csv"')
    (brand / "brand.toml").write_text(bad, encoding="utf-8")
    refused = run_cli("fit", *SAMPLE_POSTS, "--brand", brand / "brand.toml", "--out", tmp_path / "other")
    assert refused.returncode == 2 and "peers.hype: must be a list of strings" in refused.stderr


def _brand_folder(brands: Path, name: str, texts: list[str]) -> None:
    """A brand folder of `fit-all`: a brand.toml naming it, and its posts as a CSV file."""
    (brands / name).mkdir(parents=True)
    (brands / name / "brand.toml").write_text(f'name = "{name}"\n', encoding="utf-8")
    _write_csv(brands / name / "posts.csv", texts, name)


def test_fit_all_fits_each_brand_with_the_others_as_peers(tmp_path: Path) -> None:
    brands = tmp_path / "brands"
    for name, texts in (("hype", _hype(40)), ("bank", _finance(40))):
        _brand_folder(brands, name, texts)
    (brands / "maison-claire").mkdir()
    shutil.copy(SAMPLES / "brand.toml", brands / "maison-claire" / "brand.toml")
    for path in SAMPLE_POSTS:
        shutil.copy(path, brands / "maison-claire" / path.name)
    done = run_cli("fit-all", brands, "--out", tmp_path / "models")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["bank", "hype", "maison-claire"]
    peers = {name: [p["name"] for p in load(tmp_path / "models" / name).meta["peers"]] for name in ("bank", "hype")}
    assert peers == {"bank": ["hype", "maison-claire"], "hype": ["bank", "maison-claire"]}
    claire = load(tmp_path / "models" / "maison-claire")
    assert claire.meta["posts"] == len(list(read_posts(SAMPLE_POSTS, ReadStats())))
    assert {p["name"]: p["posts"] for p in claire.meta["peers"]} == {"bank": 40, "hype": 40}
    empty = tmp_path / "nothing"
    empty.mkdir()
    refused = run_cli("fit-all", empty, "--out", tmp_path / "none")
    assert refused.returncode == 2 and "no brand folders" in refused.stderr
    (brands / "savon-doux").mkdir()  # its brand.toml misspelt: refused, never left out unsaid
    (brands / "savon-doux" / "Brand.toml").write_text('name = "Savon doux"\n', encoding="utf-8")
    _write_csv(brands / "savon-doux" / "posts.csv", _hype(40), "savon-doux")
    refused = run_cli("fit-all", brands, "--out", tmp_path / "again")
    assert refused.returncode == 2 and "savon-doux: no brand.toml in this brand folder" in refused.stderr
    assert not (tmp_path / "again").exists()


def test_fit_all_names_the_brand_with_too_few_posts_and_fits_none_before_saying_so(tmp_path: Path) -> None:
    brands = tmp_path / "brands"
    for name, texts in (("a-bank", _finance(40)), ("b-hype", _hype(10))):
        _brand_folder(brands, name, texts)
    refused = run_cli("fit-all", brands, "--out", tmp_path / "models")
    assert refused.returncode == 2
    assert "b-hype: a voice needs at least 20 posts to learn from; got 10 (no model was written)" in refused.stderr
    assert not (tmp_path / "models").exists()
    in_french = run_cli("fit-all", "--lang", "fr", brands, "--out", tmp_path / "models")
    assert in_french.returncode == 2 and "b-hype :" in in_french.stderr and not (tmp_path / "models").exists()


def test_fit_all_refuses_names_that_would_clash_before_fitting_any(tmp_path: Path) -> None:
    brands = tmp_path / "brands"
    for name, texts in (("bank", _finance(40)), ("hype", _hype(40))):
        _brand_folder(brands, name, texts)
    _write_csv(tmp_path / "other.csv", _hype(40, seed=3), "other")
    toml = 'name = "hype"\n[peers]\nbank = ["../../other.csv"]\n'  # would replace the brand bank's posts
    (brands / "hype" / "brand.toml").write_text(toml, encoding="utf-8")
    refused = run_cli("fit-all", brands, "--out", tmp_path / "models")
    assert refused.returncode == 2 and "[peers] names 'bank', as another brand of the folder is named" in refused.stderr
    (brands / "hype" / "brand.toml").write_text('name = "hype"\n', encoding="utf-8")
    _brand_folder(brands, "Bank", _finance(40))
    refused = run_cli("fit-all", brands, "--out", tmp_path / "models")
    assert refused.returncode == 2 and "differ only in case" in refused.stderr
    assert not (tmp_path / "models").exists()


def test_two_peers_holding_the_same_posts_are_refused(sample_posts: list[Post], peer_files: dict[str, Path]) -> None:
    hype = _read(peer_files["hype"])
    with pytest.raises(VoicecheckError, match="peers 'a' and 'b' hold the same posts"):
        api.fit(sample_posts, load_profile(SAMPLES / "brand.toml"), peers={"a": hype, "b": list(reversed(hype))})


def test_a_peer_named_as_the_brand_is_refused(sample_posts: list[Post], peer_files: dict[str, Path]) -> None:
    with pytest.raises(VoicecheckError, match="the brand's own name"):
        api.fit(sample_posts, load_profile(SAMPLES / "brand.toml"), peers={"maison claire": _read(peer_files["hype"])})


def test_the_report_names_the_peers_and_each_channels_nearest(
    with_peers: api.SavedModel, fitted: api.SavedModel
) -> None:
    report = api.report(with_peers)
    assert report["peers"]["peers"] == [
        {"name": peer["name"], "posts": peer["posts"]} for peer in with_peers.meta["peers"]
    ]
    channels = report["peers"]["channels"]
    assert set(channels) == set(report["channels"])
    for entry in channels.values():
        assert entry["nearest_peer"] in with_peers.model.peers_.names  # type: ignore[union-attr]
        assert 0 <= entry["closer_share"] <= 1 and 0 <= entry["probability"] <= 1
    drafts = [Post(f"d{i}", text, "instagram") for i, text in enumerate(_hype(6, seed=9))]
    hijacked = api.report(with_peers, drafts)["peers"]["channels"]["instagram"]
    assert hijacked["nearest_peer"] == "hype" and hijacked["closer_share"] > 0.5
    assert "peers" not in api.report(fitted)


@pytest.mark.parametrize(
    ("lang", "known", "nearest"),
    [
        ("en", "Peers (accounts the brand must not sound like): ", "instagram: nearest to hype, taken for it "),
        ("fr", "Pairs (comptes auxquels la marque ne doit pas ressembler) : ", "instagram : le plus proche de hype"),
    ],
)
def test_the_text_and_html_reports_name_the_peers_and_each_channels_nearest(
    with_peers: api.SavedModel, fitted: api.SavedModel, lang: str, known: str, nearest: str
) -> None:
    from voicecheck.formats.report_html import render
    from voicecheck.formats.report_text import write_report

    drafts = [Post(f"d{i}", text, "instagram") for i, text in enumerate(_hype(6, seed=9))]
    report = api.report(with_peers, drafts, lang=lang)
    out = io.StringIO()
    write_report(report, out)
    text = out.getvalue().replace("\u00a0", " ").replace("\u202f", " ")
    assert known in text and all(f"{peer['name']} (" in text for peer in with_peers.meta["peers"])
    assert nearest in text
    assert set(report["map"]["peers"]) == set(with_peers.model.peers_.names)  # type: ignore[union-attr]
    assert "peers" not in api.report(fitted)["map"]
    page = render(report)
    assert '<section aria-labelledby="peers">' in page and page.count("<td>hype</td>") >= 1
    plain = io.StringIO()
    write_report(api.report(fitted, lang=lang), plain)
    assert known.split(" (")[0] not in plain.getvalue() and 'aria-labelledby="peers"' not in render(api.report(fitted))
