"""Finding brand.toml's terms in posts: inflected forms, the brand's name however it is written, offsets."""

from __future__ import annotations

import json
import unicodedata
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE_MODEL, run_cli
from voicecheck import vocabulary
from voicecheck.explain import Explainer
from voicecheck.store import SavedModel
from voicecheck.vocabulary import BRAND, Found, Term, TermRules, Tokens, build_lookalikes, fold, word_forms

CYRILLIC_A, GREEK_O = "\u0430", "\u03bf"


@cache
def rules(term: str, kind: str = "avoid") -> TermRules:
    if kind == "brand":
        return TermRules.compile(brand_terms=[term])
    if kind == "prefer":
        return TermRules.compile(prefer={term: "something else"})
    return TermRules.compile(avoid=[term])


def written(term: str, text: str, kind: str = "avoid") -> list[str]:
    """What a post wrote of `term` that the rule reports, as the post wrote it."""
    return [text[start:end] for hit in rules(term, kind).hits(text) for start, end in hit.spans]


# Avoided and preferred terms: (term, post, what is found). Inflected forms in both languages.
FIRES = [
    ("pain au chocolat", "Deux pains au chocolat, svp", "pains au chocolat"),
    ("pas cher", "Une robe pas chère!", "pas chère"),
    ("pas cher", "Des prix pas chers", "pas chers"),
    ("pas cher", "Des robes pas chères", "pas chères"),
    ("pas chère", "Un ménage pas cher", "pas cher"),
    ("pas cher", "PAS CHER!!", "PAS CHER"),
    ("pas cher", "c'est pas-cher", "pas-cher"),
    ("pas cher", "pas chere, sans accent", "pas chere"),
    ("pas cher", "pas\u00a0cher", "pas\u00a0cher"),
    ("bon", "Bonne journée", "Bonne"),
    ("bon", "de bons produits", "bons"),
    ("petit prix", "nos petits prix", "petits prix"),
    ("nouveau", "la nouvelle équipe", "nouvelle"),
    ("femme de ménage", "nos femmes de ménage", "femmes de ménage"),
    ("femme de ménage", "une femme de menage", "femme de menage"),
    ("croissant", "Fresh croissants today", "croissants"),
    ("box", "Our gift boxes are here", "boxes"),
    ("story", "Read their stories", "stories"),
    ("maid", "one of our maids", "maids"),
    ("maid", "the maid's day off", "maid"),
    ("maids", "two maids", "maids"),
    ("pas chères", "des prix pas chers", "pas chers"),
    ("chemicals", "no harsh chemicals", "chemicals"),
    ("cheap", "Cheap rates", "Cheap"),
    ("cheap", "so #cheap", "cheap"),  # a hashtag that is the term itself
    ("cheap", "so ch\u0435ap", "ch\u0435ap"),  # Cyrillic е
    ("cheap", "ｃｈｅａｐ rates", "ｃｈｅａｐ"),  # fullwidth
    ("cœur", "de tout coeur", "coeur"),
    ("rock & roll", "rock and roll", "rock and roll"),
    ("rock & roll", "rock&roll", "rock&roll"),
    ("24/7", "open 24/7", "24/7"),
    ("🔥", "so hot 🔥", "🔥"),
]
# Posts in which a term must not be found: other words, inflections that are other words, links.
DOES_NOT_FIRE = [
    ("cheap", "Prices got cheaper this year"),
    ("cheap", "the cheapest"),
    ("cheap", "#cheapdeals"),
    ("cheap", "https://example.com/cheap-rates"),
    ("cheap", "see www.cheap.com"),
    ("bon", "un bonbon"),
    ("bon", "Bonjour!"),
    ("pain au chocolat", "#painauchocolat"),
    ("pain au chocolat", "du pain, au chocolat"),
    ("pas cher", "pas très cher"),
    ("pas cher", "pas, cher ami"),
    ("car", "we care"),
    ("car", "be careful"),
    ("cut", "so cute"),
    ("sit", "our site"),
    ("not", "a note"),
    ("plan", "a plane"),
    ("mal", "une malle"),
    ("pas", "il passe"),
    ("long", "il longe le canal"),
    ("box", "la bosse"),
    ("new", "the news"),
    ("u", "thank us"),
    ("maid", "a mermaid"),
    ("maid", "made by hand"),
    ("box", "boxing day"),
    ("chemicals", "chemistry"),
    ("chemicals", "no chemical perfume"),  # a term in the plural is about the plural
    ("maids", "a maid"),
    ("pas chères", "pas cher"),
    ("story", "storey"),
]


@pytest.mark.parametrize(("term", "text", "found"), FIRES)
def test_an_avoided_term_is_found_in_its_forms(term: str, text: str, found: str) -> None:
    assert written(term, text) == [found]


@pytest.mark.parametrize(("term", "text", "found"), FIRES)
def test_a_preferred_term_is_found_as_an_avoided_one_is(term: str, text: str, found: str) -> None:
    assert written(term, text, "prefer") == [found]


@pytest.mark.parametrize(("term", "text"), DOES_NOT_FIRE)
def test_a_term_is_not_found_in_other_words(term: str, text: str) -> None:
    assert written(term, text) == []


def test_forms_are_plurals_and_feminines_only() -> None:
    assert {"cher", "chers", "chère", "chères"} <= word_forms("cher")
    assert {fold(form).text for form in word_forms("cher")} == {"cher", "chers", "chere", "cheres"}
    assert word_forms("chère") == word_forms("cher")
    assert {fold(form).text for form in word_forms("chères")} == {"chers", "cheres"}
    assert word_forms("maids") == {"maids"}
    assert word_forms("cheap") == {"cheap", "cheaps"}  # not "cheaper"
    assert {"journaux", "jeux", "stories", "boxes", "churches"} <= {
        *word_forms("journal"), *word_forms("jeu"), *word_forms("story"), *word_forms("box"), *word_forms("church")
    }  # fmt: skip
    assert "care" not in word_forms("car") and "cares" not in word_forms("car")


# The brand's name: (name, post, what is found, how it differs). Each is reported.
MISSPELT = [
    ("Mie & Miel", "Chez Mie et Miel!", "Mie et Miel", ("connector",)),
    ("Mie & Miel", "Mie and Miel", "Mie and Miel", ("connector",)),
    ("Mie & Miel", "Mie&Miel", "Mie&Miel", ("spacing",)),
    ("Maison Claire", "Merci à Maison-Claire", "Maison-Claire", ("spacing",)),
    ("Maison Claire", "MaisonClaire rocks", "MaisonClaire", ("spacing",)),
    ("Maison Claire", "thanks maison claire", "maison claire", ("capitals",)),
    ("Maison Claire", "MAISON CLAIRE", "MAISON CLAIRE", ("capitals",)),
    ("Café Lumière", "au Cafe Lumiere", "Cafe Lumiere", ("accents",)),
    ("Café Lumière", "CAFE LUMIERE", "CAFE LUMIERE", ("capitals", "accents")),
    ("Maison Claire", "Ｍａｉｓｏｎ Ｃｌａｉｒｅ", "Ｍａｉｓｏｎ Ｃｌａｉｒｅ", ("styled",)),
    ("Maison Claire", f"M{CYRILLIC_A}ison Claire", f"M{CYRILLIC_A}ison Claire", ("lookalike",)),
    ("Maison Claire", f"Mais{GREEK_O}n Claire", f"Mais{GREEK_O}n Claire", ("lookalike",)),
    ("Maison Claire", "Mai\u200bson Claire", "Mai\u200bson Claire", ("hidden",)),
    ("Maison Claire", "la Maison Clair", "Maison Clair", ("form",)),
    ("Maison Claire", "les Maisons Claires", "Maisons Claires", ("form",)),
    ("ÉcoPropre", "nos produits Éco Propre", "Éco Propre", ("spacing",)),
    ("ÉcoPropre", "ecopropre", "ecopropre", ("capitals", "accents")),
    ("Garantie 48 h", "la Garantie 48h", "Garantie 48h", ("spacing",)),
    (
        "Maison Claire",
        f"#MaisonCl{CYRILLIC_A}ire",
        f"MaisonCl{CYRILLIC_A}ire",
        ("lookalike",),
    ),  # a tag that is not the brand's
    ("Maison Claire", f"maisoncl{CYRILLIC_A}ire.ca", f"maisoncl{CYRILLIC_A}ire", ("lookalike",)),
]
# Written as the brand writes it, or in a tag or link where its spaces and capitals cannot be.
WELL_WRITTEN = [
    ("Maison Claire", "Merci, Maison Claire!"),
    ("Maison Claire", "Maison\u00a0Claire"),
    ("Maison Claire", "Maison Claire's team"),
    ("Maison Claire", "Maison Claire s'occupe de tout"),  # not "Maison Claires"
    ("Café Lumière", "Cafe\u0301 Lumie\u0300re"),  # the same accents, decomposed
    ("Maison Claire", "#MaisonClaire"),
    ("Maison Claire", "#maisonclaire"),
    ("Mie & Miel", "#MieEtMiel"),
    ("Maison Claire", "@maisonclaire"),
    ("Maison Claire", "www.maisonclaire.ca"),
    ("Maison Claire", "info@maisonclaire.ca"),
    ("Maison Claire", "#TeamMaisonClaire"),
    ("Maison Claire", "une maison à Laval"),
    ("L'Atelier", "L’Atelier"),
]


@pytest.mark.parametrize(("name", "text", "found", "differences"), MISSPELT)
def test_the_brands_name_written_otherwise_is_reported_with_what_differs(
    name: str, text: str, found: str, differences: tuple[str, ...]
) -> None:
    (hit,) = rules(name, "brand").hits(text)
    assert hit.kind == "brand_term" and hit.words == (found,) and hit.differences == differences
    assert hit.figures() == {"term": name, "found": found, "differences": list(differences)}
    assert [text[start:end] for start, end in hit.spans] == [found]


@pytest.mark.parametrize(("name", "text"), WELL_WRITTEN)
def test_the_brands_name_as_the_brand_writes_it_is_not_reported(name: str, text: str) -> None:
    assert rules(name, "brand").hits(text) == []


def test_every_misspelling_is_one_reason_with_all_its_places() -> None:
    text = "Mie et Miel, Mie and Miel, Mie & Miel, Mie et Miel"
    (hit,) = rules("Mie & Miel", "brand").hits(text)
    assert hit.words == ("Mie et Miel", "Mie and Miel")
    assert [text[start:end] for start, end in hit.spans] == ["Mie et Miel", "Mie and Miel", "Mie et Miel"]


def test_a_term_given_twice_in_two_forms_is_reported_once_as_written() -> None:
    both = TermRules.compile(
        avoid=["pas cher", "pas chère"], prefer={"maid": "cleaning team", "maids": "cleaning team"}
    )
    assert [(hit.term, hit.words) for hit in both.hits("pas chère, our maids")] == [
        ("pas chère", ("pas chère",)),
        ("maids", ("maids",)),
    ]


def test_a_name_inside_a_longer_name_gives_way_to_it() -> None:
    names = TermRules.compile(brand_terms=["Maison Claire", "Claire"])
    assert [hit.term for hit in names.hits("maison claire")] == ["Maison Claire"]


def test_offsets_are_in_the_original_text_after_characters_that_fold_to_more_or_fewer() -> None:
    text = "ﬁnal: Cafe\u0301 \u200b½ œuvre ＡＢ — M\u0430ison Claire, pas che\u0300res"
    hits = TermRules.compile(avoid=["pas cher"], brand_terms=["Maison Claire"]).hits(text)
    assert [[text[start:end] for start, end in hit.spans] for hit in hits] == [
        ["pas che\u0300res"],
        ["M\u0430ison Claire"],
    ]


def test_a_match_that_would_cut_a_character_in_two_is_not_reported() -> None:
    # "⒜" folds to "(a)": the word "a" inside it is not a place in the post
    assert written("a", "le ⒜") == []


def test_a_term_with_nothing_to_find_is_left_out() -> None:
    assert TermRules.compile(avoid=["", "  ", "-"], brand_terms=[" "]).terms == []


def test_rules_are_compiled_once_not_for_each_post(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = TermRules.compile(avoid=["pas cher"], brand_terms=["Maison Claire"])

    def no_inflecting(*args: object) -> None:
        raise AssertionError("inflected while finding")

    monkeypatch.setattr(vocabulary, "word_forms", no_inflecting)
    monkeypatch.setattr(vocabulary, "WordOdds", no_inflecting)
    assert [hit.kind for hit in compiled.hits("pas chères, maison claire")] == ["avoided_term", "brand_term"]


def test_the_lookalike_table_is_derived_from_unicodes_confusables() -> None:
    confusables = "\n".join([
        "# Version: 15.1.0",
        "0430 ;\t0061 ;\tMA\t# ( а → a ) CYRILLIC SMALL LETTER A → LATIN SMALL LETTER A\t#",
        "0399 ;\t006C ;\tMA\t# ( Ι → l ) GREEK CAPITAL LETTER IOTA → LATIN SMALL LETTER L\t# →Ι→",
        "0049 ;\t006C ;\tMA\t# ( I → l ) LATIN CAPITAL LETTER I → LATIN SMALL LETTER L\t#",
        "00F8 ;\t006F 0338 ;\tMA\t# ( ø → o̸ ) LATIN SMALL LETTER O WITH STROKE → LATIN SMALL LETTER O, COMBINING LONG SOLIDUS OVERLAY\t#",
        "FF41 ;\t0061 ;\tMA\t# ( ａ → a ) FULLWIDTH LATIN SMALL LETTER A → LATIN SMALL LETTER A\t#",
        "2010 ;\t002D ;\tMA\t#* ( ‐ → - ) HYPHEN → HYPHEN-MINUS\t#",
    ])  # fmt: skip
    # ASCII sources, characters NFKD already folds (fullwidth) and non-letters are left out
    assert build_lookalikes(confusables) == {"\u0430": "a", "\u0399": "I", "ø": "o"}
    shipped = vocabulary.lookalikes()
    assert {shipped[c] for c in "\u0430\u0435\u043e\u0440\u0441\u0445"} == set("aeopcx")  # Cyrillic а е о р с х
    assert shipped[GREEK_O] == "o" and shipped["\u0391"] == "A" and shipped["\u0399"] == "I"


def test_the_explainer_gives_each_rule_its_words_and_places(sample_model: SavedModel) -> None:
    text = "Des femmes de ménage pas chères chez maison claire, pas chères!"
    reasons = Explainer(sample_model).vocabulary(text)
    assert [(r.kind, r.words) for r in reasons] == [
        ("avoided_term", ("pas chères",)),
        ("preferred_term", ("femmes de ménage",)),
        ("brand_term", ("maison claire",)),
    ]
    assert [[text[start:end] for start, end in r.spans] for r in reasons] == [
        ["pas chères", "pas chères"],
        ["femmes de ménage"],
        ["maison claire"],
    ]
    assert reasons[2].figures == {"term": "Maison Claire", "found": "maison claire", "differences": ["capitals"]}


def test_check_reports_the_places_of_a_term_in_json() -> None:
    text = "Besoin d'une femme de ménage pas chère? Appelez Maison-Claire!"
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "json", "--fail-on", "never", "-", input=text)
    assert result.returncode == 0, result.stderr
    (post,) = json.loads(result.stdout)["results"]
    places = {r["kind"]: [text[start:end] for start, end in r["spans"]] for r in post["reasons"] if "spans" in r}
    assert places == {
        "avoided_term": ["pas chère"],
        "preferred_term": ["femme de ménage"],
        "brand_term": ["Maison-Claire"],
    }


# Property-based: offsets and normalisation on any text.

ALL_RULES = TermRules.compile(
    avoid=["pas cher", "cheap", "bon", "pain au chocolat", "🔥"],
    prefer={"femme de ménage": "équipe d'entretien", "maid": "cleaning team"},
    brand_terms=["Maison Claire", "Mie & Miel", "ÉcoPropre", "L'Atelier"],
)
PIECES = [
    "pas", "cher", "chères", "Cheap", "bon", "bonnes", "pain", "pains", "au", "chocolat", "femme", "de", "ménage",
    "maids", "Maison", "Claire", "maison", "claire", "Mie", "&", "et", "and", "Miel", "ÉcoPropre", "Eco", "Propre",
    "L'", "Atelier", "#", "@", "-", "'", "’", " ", " ", "\n", "\u00a0", "\u200b", "\u0301", "ﬁ", "½", "⒜", "Ｍ",
    CYRILLIC_A, GREEK_O, "🔥", "www.", ".ca", "https://", "/",
]  # fmt: skip
#: No deadline: a test asserts what is found, never how fast (the machine may be busy).
PROPERTIES = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
posts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=30).map("".join)


def _spells_the_term(found: Found) -> bool:
    """Whether the text at a match's place, read as matching reads it, is one of the term's forms."""
    keys = Tokens.of(fold(found.written).text).keys
    term: Term = found.term
    if term.kind == BRAND:
        return "".join(keys) in term.squashed | term.spellings
    return len(keys) == len(term.words) and all(key in forms for key, forms in zip(keys, term.words, strict=True))


@PROPERTIES
@given(st.text())
def test_finding_terms_never_fails_on_any_text(text: str) -> None:
    for hit in ALL_RULES.hits(text):
        assert hit.words and all(0 <= start < end <= len(text) for start, end in hit.spans)


@PROPERTIES
@given(st.text(max_size=40))
def test_compiling_any_term_never_fails(term: str) -> None:
    compiled = TermRules.compile(avoid=[term], prefer={term: "x"}, brand_terms=[term])
    compiled.hits(term)


@PROPERTIES
@given(posts)
def test_every_place_found_spells_the_term(text: str) -> None:
    for found in ALL_RULES.find(text):
        assert found.written == text[found.start : found.end]
        assert _spells_the_term(found), found


@PROPERTIES
@given(posts)
def test_folding_maps_every_word_back_to_the_characters_it_came_from(text: str) -> None:
    folded = fold(text)
    tokens = Tokens.of(folded.text)
    for start, end in zip(tokens.starts, tokens.ends, strict=True):
        span = folded.span(start, end)
        if span is not None:
            assert fold(text[span[0] : span[1]]).text == folded.text[start:end]
            assert not unicodedata.combining(text[span[1] : span[1] + 1] or "x")  # an accent stays with its letter


DISGUISED = [
    "M\u0430ison Claire",
    "Ｍａｉｓｏｎ Ｃｌａｉｒｅ",
    "Mai\u200bson Claire",
    "MAISON CLAIRE",
    "Mais\u03bfn-Claire",
]


@PROPERTIES
@given(st.text(), st.sampled_from(DISGUISED), st.text())
def test_a_misspelt_name_is_found_at_its_exact_place_whatever_comes_before(before: str, name: str, after: str) -> None:
    text = f"{before} {name} {after}"
    start = len(before) + 1
    spans = [span for hit in ALL_RULES.hits(text) if hit.term == "Maison Claire" for span in hit.spans]
    assert (start, start + len(name)) in spans


@PROPERTIES
@given(
    st.text(),
    st.sampled_from(["pas chères", "PAS CHERS", "pas-chère", "ｐａｓ ｃｈｅｒ", "pas che\u0300re"]),
    st.text(),
)
def test_an_inflected_term_is_found_at_its_exact_place_whatever_comes_before(
    before: str, phrase: str, after: str
) -> None:
    text = f"{before} {phrase} {after}"
    start = len(before) + 1
    spans = [span for hit in ALL_RULES.hits(text) if hit.term == "pas cher" for span in hit.spans]
    assert (start, start + len(phrase)) in spans
