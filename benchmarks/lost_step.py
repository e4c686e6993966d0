"""Which step of the decoder's candidate search loses a gold word that is within the token's
reach (a real word one OCR-weighted unit, a non-word two): for diagnose_channel.py.

The steps are the decoder's own (:meth:`corpusflow.cleaning.channel.Decoder.search`, then
:meth:`~corpusflow.cleaning.channel.Decoder.drop_reason`), so the names cannot drift from it.
"""

from __future__ import annotations


def lost_step(decoder, key: str, word: str, real: bool) -> str:
    """Why lowercase ``word``, a vocabulary word within reach of lowercase ``key``, was no
    reading: the index search that misses it, else the first filter that drops it."""
    if word not in decoder.search(key, real):
        if real:
            return "not indexed: more than one edit or one confusion"
        return "not indexed: more than two edits or one folded edit"
    reason = decoder.drop_reason(key, word, real)
    return f"filtered: {reason}" if reason else "a reading (lost after the search)"
