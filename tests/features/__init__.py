from voicecheck.features.table import FeatureTable, build_table
from voicecheck.nlp import Pipelines, parse
from voicecheck.readers.base import Post


def table_of(pipelines: Pipelines, text: str, lang: str) -> FeatureTable:
    """The features of one post, read as `check` reads a batch."""
    return build_table(parse([Post("post", text, lang=lang)], pipelines))
