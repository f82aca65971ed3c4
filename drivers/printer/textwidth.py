"""Display width of text on a thermal printer (Chinese glyphs take two columns) and line wrapping."""

from __future__ import annotations

import unicodedata


def char_columns(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def text_columns(text: str) -> int:
    return sum(char_columns(c) for c in text)


# Chinese typesetting never starts a line with closing punctuation.
NO_LINE_START = set("，。、；：？！）》」』】〉”’…,.;:?!)]}")


def wrap(text: str, columns: int) -> list[str]:
    """Wraps at character boundaries (Chinese has no spaces); Latin words are kept whole if they fit."""
    columns = max(columns, 4)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, width = "", 0
        for token in _tokens(paragraph):
            w = text_columns(token)
            if width + w > columns and line:
                carry = ""
                if token[:1] in NO_LINE_START and len(line) > 1:
                    carry, line = line[-1], line[:-1]  # take the last character down with it
                lines.append(line.rstrip())
                token = carry + token.lstrip()
                line, width = "", 0
                w = text_columns(token)
            while w > columns:  # a single token longer than a line: hard break
                head, head_w = "", 0
                for c in token:
                    if head_w + char_columns(c) > columns:
                        break
                    head += c
                    head_w += char_columns(c)
                if not head:
                    head = token[0]
                lines.append(head)
                token = token[len(head):]
                w = text_columns(token)
            line += token
            width += w
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Latin words (with the space before them) stay together; every wide character stands alone."""
    tokens: list[str] = []
    current = ""
    for c in text:
        if char_columns(c) == 2:
            if current:
                tokens.append(current)
                current = ""
            tokens.append(c)
        elif c == " " and current.strip():
            tokens.append(current)
            current = c
        else:
            current += c
    if current:
        tokens.append(current)
    return tokens
