"""Highlight colours and what each one means.

A colour carries a meaning, and the meaning is shown with it everywhere (the
toolbar, the legend, every mark's title). Defined once, here: the Highlight
model's choices, the import parsers and the reader all use this list.
"""

# (stored value, meaning shown to people), in the toolbar's order.
HIGHLIGHT_COLOURS = (
    ("yellow", "Key point"),
    ("green", "Evidence"),
    ("blue", "Question"),
    ("red", "Disagree"),
)
COLOUR_VALUES = tuple(value for value, _ in HIGHLIGHT_COLOURS)
