"""How the API reads a request's body."""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deep to read a 400 like any bad JSON.

    Python's json module parses recursively: a thousand nested brackets (3 KB) raise
    RecursionError, and DRF makes a ParseError of ValueError only, so that was a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deep") from None
