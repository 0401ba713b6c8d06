from pathlib import Path

import pytest

from voicecheck.errors import InputError
from voicecheck.readers import Columns, ReadStats, read_posts

from ..conftest import SAMPLE_MODEL
from ..french import english_words, run_in_french, spaced


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("header", ["text", "Message", "content", "caption", "post", "Tweet text", "Update text"])
def test_common_text_columns_are_detected(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, "export.csv", f'id,{header},Network\n7,"Bonjour, Montréal!",Facebook\n')
    (post,) = read_posts([path], ReadStats())
    assert (post.id, post.text, post.channel) == ("7", "Bonjour, Montréal!", "facebook")


def test_no_text_column_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "stats.csv", "date,likes,shares\n2025-01-01,4,5\n")
    with pytest.raises(
        InputError, match=r"stats.csv: no text column found among date, likes, shares; name it with --text-col"
    ):
        list(read_posts([path], ReadStats()))


def test_text_col_override_and_unknown_column(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "body_copy,where\nHello there friends,x\n")
    posts = list(read_posts([path], ReadStats(), Columns(text="body_copy", channel="where")))
    assert posts[0].text == "Hello there friends" and posts[0].channel == "x"
    with pytest.raises(InputError, match="no column 'missing'"):
        list(read_posts([path], ReadStats(), Columns(text="missing")))


def test_bad_rows_are_counted_with_their_line_never_dropped_silently(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'id,text\n1,Hello\n2,\n3,"a","b"\n\n4,Bye now\n')
    stats = ReadStats()
    posts = list(read_posts([path], stats))
    assert [p.id for p in posts] == ["1", "4"]
    assert stats.read == 2
    assert stats.skipped == {"empty text": 1, "3 fields where the header has 2": 1}
    assert stats.examples["empty text"].endswith("a.csv:3")
    assert stats.examples["3 fields where the header has 2"].endswith("a.csv:4")


def test_multiline_post_keeps_its_starting_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'text\n"line one\nline two"\nnext\n')
    posts = list(read_posts([path], ReadStats()))
    assert posts[0].text == "line one\nline two"
    assert posts[1].where.endswith("a.csv:4")
    assert posts[1].id.endswith("a.csv:4")


def test_language_names_are_normalised(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "text,lang\nBonjour,fr-CA\nHello,English\n")
    assert [p.lang for p in read_posts([path], ReadStats())] == ["fr", "en"]


def test_tsv(tmp_path: Path) -> None:
    path = write(tmp_path, "a.tsv", "id\ttext\n1\tHello, world\n")
    assert [p.text for p in read_posts([path], ReadStats())] == ["Hello, world"]


def test_large_file_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("text\n")
        for i in range(20_000):
            handle.write(f"Post number {i}\n")
    reader = read_posts([path], ReadStats())
    first = next(reader)
    assert first.text == "Post number 0"
    assert sum(1 for _ in reader) == 19_999


def test_semicolons_of_french_spreadsheets_are_found_from_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "id;canal;texte\n7;Facebook;Bonjour, Montréal! On vous attend.\n")
    (post,) = read_posts([path], ReadStats())
    assert (post.id, post.text, post.channel) == ("7", "Bonjour, Montréal! On vous attend.", "facebook")


def test_commas_win_when_the_header_reads_with_commas(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "id,text\n1,Prix : 5 $; livraison gratuite\n")
    assert [p.text for p in read_posts([path], ReadStats())] == ["Prix : 5 $; livraison gratuite"]


def test_a_row_that_splits_on_commas_into_a_column_name_does_not_make_the_header(tmp_path: Path) -> None:
    # Split on its commas, the first row's caption gives " post": taken for the header, it
    # left the rows above it unread and uncounted.
    text = "id;channel;texte\n1;instagram;Like, comment, post\n2;facebook;Une offre pas chère pour vous\n"
    stats = ReadStats()
    posts = list(read_posts([write(tmp_path, "export.csv", text)], stats))
    assert [(p.id, p.text) for p in posts] == [("1", "Like, comment, post"), ("2", "Une offre pas chère pour vous")]
    assert stats.skipped == {}


def test_the_rows_above_a_later_header_are_counted_as_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "Posts of Maison Claire, 2025\n\nid,text\n1,Our team is ready for spring\n")
    stats = ReadStats()
    assert [p.text for p in read_posts([path], stats)] == ["Our team is ready for spring"]
    assert stats.skipped == {"above the header row": 1}
    assert stats.examples["above the header row"] == f"{path}:1"


def test_semicolons_with_a_chosen_text_column(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "numéro;libellé\n1;Une publication, avec une virgule\n")
    posts = list(read_posts([path], ReadStats(), Columns(text="libellé")))
    assert [p.text for p in posts] == ["Une publication, avec une virgule"]


def test_a_quote_never_closed_is_an_error_not_one_post_swallowing_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'id,text\n1,fine\n2,"this quote is never closed\n3,lost post\n4,another\n')
    with pytest.raises(InputError, match=r"a.csv:3: a quoted field opened on this row is never closed.*2 more lines"):
        list(read_posts([path], ReadStats()))


@pytest.mark.parametrize(
    "content", ['text,channel\nHello,instagram\n"never closed post,facebook\n', 'text\nHello\n"never closed post']
)
def test_a_quote_never_closed_on_the_last_line_is_an_error_too(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "a.csv", content)
    with pytest.raises(InputError, match=r"a.csv:3: a quoted field opened on this row is never closed; close the"):
        list(read_posts([path], ReadStats()))


def test_a_last_row_ending_the_file_is_not_mistaken_for_an_open_quote(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'id,text\n1,"two\nlines"\n2,"last, without a newline"')
    assert [p.text for p in read_posts([path], ReadStats())] == ["two\nlines", "last, without a newline"]
    sloppy = write(tmp_path, "b.csv", 'id,text\n1,"two\nlines" and more')
    assert [p.text for p in read_posts([sloppy], ReadStats())] == ["two\nlines and more"]


def test_the_delimiter_is_found_in_a_header_read_as_the_rows_are(tmp_path: Path) -> None:
    """A Windows-1252 file's header is decoded like its rows, so an accented column name matches."""
    path = tmp_path / "excel.csv"
    path.write_bytes("numéro;libellé\n1;Été à Montréal, on vous attend\n".encode("cp1252"))
    posts = list(read_posts([path], ReadStats(), Columns(text="libellé")))
    assert [p.text for p in posts] == ["Été à Montréal, on vous attend"]


def test_a_quote_never_closed_is_named_with_its_file_and_line_in_french(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'id,text\n1,Bonjour Montréal\n2,"Une citation jamais fermée\n3,Au revoir\n')
    result = run_in_french("check", "--model", SAMPLE_MODEL, path)
    assert result.returncode == 2, result.stderr
    said = spaced(result.stderr)
    assert f"erreur : {path}:3 : un champ entre guillemets ouvert sur cette ligne n'est jamais fermé" in said
    assert "(1 ligne de plus)" in said
    assert not english_words(result.stderr, path), result.stderr


def test_a_row_with_too_many_fields_is_skipped_saying_why_in_french(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'id,text\n1,"Bonjour, Montréal! Une belle journée pour un ménage",x,y\n')
    result = run_in_french("check", "--model", SAMPLE_MODEL, "--fail-on", "never", path)
    said = spaced(result.stdout + result.stderr)
    assert result.returncode == 0, said
    assert f"1 écartée (4 champs alors que l'en-tête en compte 2, la première à {path}:2)" in said
    assert not english_words(said, path), said
