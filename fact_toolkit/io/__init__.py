"""Reading the outside world: value parsers, header aliases, file readers."""
