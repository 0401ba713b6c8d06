"""Plain functions from a parsed post to numbers: style (how it is written) and tone."""
