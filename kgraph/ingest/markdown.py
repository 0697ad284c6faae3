"""Markdown -> the text NER should see: syntax blanked out, the words where they were.

Heading marks, emphasis, link targets, images, code fences, block quotes, list bullets,
reference definitions and HTML tags become spaces, so the text keeps its length, its lines
and (but for headings, below) every word at its offset in the file: a mention's offsets and
its evidence sentence point at the same words as the file (sentences are stored with their
runs of spaces collapsed).

A heading becomes a sentence of its own: spaCy's small English model reads a heading without
a full stop as the start of the next sentence and misses names there (``# Talks`` above
"Ashraf Ghani spoke in Kabul" lost Ashraf Ghani), so a heading that does not end with
``.``, ``!`` or ``?`` gets a full stop: an ATX heading's words move one character left, into
the space after its ``#`` marks; a setext heading's full stop takes the place of its line
break (the underline row below it is blanked and holds the line break).
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3}#{1,6})([ \t]+)(.*?)([ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^( {0,3}>[ \t]?)+")
_BULLET = re.compile(r"^([ \t]*)([-*+])([ \t]+)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+.*$")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!\[[^\]\n]*\]\[[^\]\n]*\]")
_LINK = re.compile(r"\[([^\]\n]+)\](\([^)\n]*\)|\[[^\]\n]*\])")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_STRONG = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_CODE = re.compile(r"(`+)(.+?)\1")
_SENTENCE_END = ".!?"


def _blank(s: str) -> str:
    return " " * len(s)


def strip_markdown(text: str) -> str:
    """`text` without Markdown syntax, the same length, each word at its offset.

    >>> strip_markdown("# Talks\\n\\nAshraf **Ghani** in [Kabul](https://x.org).")
    ' Talks.\\n\\nAshraf   Ghani   in  Kabul                .'
    """
    lines = text.split("\n")
    out: list[str] = []
    fenced: str | None = None
    for i, line in enumerate(lines):
        fence = _FENCE.match(line)
        if fenced is not None:
            if fence and fence.group(1)[0] == fenced:
                fenced = None
                line = _blank(line)
            out.append(line)  # code is kept as written
            continue
        if fence:
            fenced = fence.group(1)[0]
            out.append(_blank(line))
            continue
        out.append(_strip_line(line, lines[i - 1] if i else ""))
    return "\n".join(_setext(out, lines))


def _strip_line(line: str, above: str) -> str:
    if _SETEXT_UNDERLINE.match(line) and above.strip() and not _FENCE.match(above):
        return line  # a setext underline: _setext ends the heading above it
    if _RULE.match(line) or _REF_DEF.match(line):
        return _blank(line)
    atx = _ATX.match(line)
    if atx:
        return _heading(line, atx)
    line = _QUOTE.sub(lambda m: _blank(m.group()), line)
    line = _BULLET.sub(lambda m: m.group(1) + " " + m.group(3), line)
    return _inline(line)


def _heading(line: str, m: re.Match[str]) -> str:
    words = _inline(m.group(3)).rstrip()
    head = _blank(m.group(1) + m.group(2))
    if words and words[-1] not in _SENTENCE_END and words.strip():
        head, words = head[:-1], words + "."  # one character left, and a full stop
    return (head + words).ljust(len(line))


def _setext(out: list[str], lines: list[str]) -> list[str]:
    """Blank setext underlines (=== or --- under a line of text) and end their heading."""
    for i in range(1, len(out)):
        if not (_SETEXT_UNDERLINE.match(lines[i]) and out[i] == lines[i] and out[i - 1].strip()):
            continue
        above = out[i - 1].rstrip()
        if above[-1] in _SENTENCE_END:
            out[i] = _blank(lines[i])
        elif len(above) < len(out[i - 1]):  # a trailing space holds the full stop
            out[i - 1] = above + "." + out[i - 1][len(above) + 1 :]
            out[i] = _blank(lines[i])
        else:  # the full stop takes the line break's place; the underline row holds the break
            out[i - 1] = above + "."
            out[i] = _blank(lines[i])[1:]
    return out


def _inline(line: str) -> str:
    if not any(ch in line for ch in "*_`[]<>!~"):
        return line
    line = _CODE.sub(lambda m: _blank(m.group(1)) + m.group(2) + _blank(m.group(1)), line)
    line = _IMAGE.sub(lambda m: _blank(m.group()), line)
    line = _LINK.sub(lambda m: " " + m.group(1) + _blank(m.group(2)) + " ", line)
    line = _AUTOLINK.sub(lambda m: _blank(m.group()), line)
    line = _TAG.sub(lambda m: _blank(m.group()), line)
    for _ in range(2):  # ***both*** and nested emphasis
        line = _STRONG.sub(lambda m: _blank(m.group(1)) + m.group(2) + _blank(m.group(1)), line)
        line = _EM_STAR.sub(lambda m: " " + m.group(1) + " ", line)
        line = _EM_UNDER.sub(lambda m: " " + m.group(1) + " ", line)
    return line
