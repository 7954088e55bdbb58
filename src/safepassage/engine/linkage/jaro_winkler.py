"""Jaro-Winkler similarity of two name keys, the fuzzy level of the name comparisons.

Why hand-written: ``jellyfish`` and ``rapidfuzz`` implement it, but the project may not add a
runtime dependency for forty lines, and the strings compared here are short ASCII name keys
(consonant skeletons from :func:`safepassage.engine.names.latin_key`), where the textbook
algorithm is fast enough, especially behind the per-run cache in
:mod:`safepassage.engine.linkage.features`. Splink uses the same definition (DuckDB's
``jaro_winkler_similarity``), so the benchmark compares like with like.
"""

from __future__ import annotations

from typing import Final

__all__ = ["jaro_winkler"]

_PREFIX_SCALE: Final = 0.1
_MAX_PREFIX: Final = 4


def _jaro(left: str, right: str) -> float:
    if left == right:
        return 1.0 if left else 0.0
    left_length, right_length = len(left), len(right)
    if not left_length or not right_length:
        return 0.0
    window = max(max(left_length, right_length) // 2 - 1, 0)
    right_taken = [False] * right_length
    left_matched: list[str] = []
    for index, letter in enumerate(left):
        stop = index + window + 1
        start = index - window
        position = right.find(letter, start if start > 0 else 0, stop)
        while position != -1 and right_taken[position]:
            position = right.find(letter, position + 1, stop)
        if position != -1:
            right_taken[position] = True
            left_matched.append(letter)
    matches = len(left_matched)
    if not matches:
        return 0.0
    right_matched = [right[index] for index in range(right_length) if right_taken[index]]
    half_transpositions = sum(a != b for a, b in zip(left_matched, right_matched, strict=True))
    transpositions = half_transpositions // 2
    return (
        matches / left_length + matches / right_length + (matches - transpositions) / matches
    ) / 3.0


def jaro_winkler(left: str, right: str) -> float:
    """The Jaro-Winkler similarity of ``left`` and ``right``, from 0.0 (nothing in common) to
    1.0 (equal), with the usual prefix bonus (scale 0.1, at most four letters). Two empty
    strings are 0.0: an absent name is not evidence of agreement."""
    similarity = _jaro(left, right)
    if similarity <= 0.0:
        return similarity
    prefix = 0
    for a, b in zip(left[:_MAX_PREFIX], right[:_MAX_PREFIX], strict=False):
        if a != b:
            break
        prefix += 1
    return similarity + prefix * _PREFIX_SCALE * (1.0 - similarity)
