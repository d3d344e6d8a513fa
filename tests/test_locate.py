"""Line numbers for nested TOML values, which tomllib does not give."""

from cislog.locate import LineIndex

TEXT = '''\
# a comment with [[event]] in it
[[document]]
id = "a"
summary = """
[[document]]
id = "not a key"
"""
list = [
  "x = 1",
  { country = "az" },
]

[[document.signatories]]
country = "az"

[[document]]
id = "b"
"quoted key" = 1
[[document.signatories]]
country = "by"
[[document.signatories]]
status = "signed"
'''


def test_keys_of_arrays_of_tables_get_their_own_lines() -> None:
    index = LineIndex(TEXT)

    assert index.line_of(("document", 0, "id")) == 3
    assert index.line_of(("document", 1, "id")) == 17
    assert index.line_of(("document", 1, "quoted key")) == 18
    assert index.line_of(("document", 0, "signatories", 0, "country")) == 14
    assert index.line_of(("document", 1, "signatories", 1, "status")) == 22


def test_multiline_strings_and_arrays_hide_nothing_and_invent_nothing() -> None:
    index = LineIndex(TEXT)

    assert index.line_of(("document", 2)) == 1  # only two documents exist
    # An inline table in an array is placed on its own line, not on the array's key.
    assert index.line_of(("document", 0, "list", 1, "country")) == 10
    assert index.line_of(("document", 0, "list", 7)) == 8


def test_a_missing_field_falls_back_to_its_table() -> None:
    assert LineIndex(TEXT).line_of(("document", 1, "signatories", 0, "status")) == 19
