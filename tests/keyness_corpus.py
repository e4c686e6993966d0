"""Token and segment tables of the real corpus for the keyness tests.

Until the workflow's own tables are used, the texts are laid out like the cleaned text (one
paragraph per line, blank line between paragraphs), tokenised with ``spacy.blank("en")`` plus
sentencizer and the lookup lemmatiser, and cut into segments of about 250 alphabetic tokens
at paragraph ends, following the contracts of the tokenise and segment stages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import spacy

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def cleaned_like(raw: str) -> str:
    """One paragraph per line: blank-line separated blocks with their hard wraps joined."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", raw)]
    return "\n\n".join(block for block in blocks if block) + "\n"


def pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def tokenise(nlp, doc_id: str, text: str) -> pd.DataFrame:
    rows, sentence, index, offset = [], -1, 0, 0
    for paragraph, line in enumerate(text.split("\n\n")):
        line = line.rstrip("\n")
        doc = nlp(line)
        for sent in doc.sents:
            sentence += 1
            for token in sent:
                if token.is_space:
                    continue
                rows.append(
                    {
                        "doc_id": doc_id,
                        "paragraph": paragraph,
                        "sentence": sentence,
                        "index": index,
                        "start": offset + token.idx,
                        "end": offset + token.idx + len(token.text),
                        "text": token.text,
                        "lower": token.lower_,
                        "lemma": token.lemma_.lower(),
                        "is_alpha": token.is_alpha,
                        "is_stop": token.is_stop,
                        "is_punct": token.is_punct,
                    }
                )
                index += 1
        offset += len(line) + 2
    return pd.DataFrame(rows)


def segment(tokens: pd.DataFrame, text: str, target_tokens: int = 250) -> pd.DataFrame:
    doc_id = tokens["doc_id"].iloc[0]
    alpha = tokens[tokens["is_alpha"]].groupby("paragraph").size()
    paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\n", text)]
    rows, first, count = [], 0, 0
    last_paragraph = len(paragraph_starts) - 1
    for paragraph in range(last_paragraph + 1):
        count += int(alpha.get(paragraph, 0))
        if count >= target_tokens or paragraph == last_paragraph:
            end = paragraph_starts[paragraph + 1] if paragraph < last_paragraph else len(text)
            order = len(rows)
            rows.append(
                {
                    "doc_id": doc_id,
                    "segment_id": f"{doc_id}:{order:03d}",
                    "order": order,
                    "start": paragraph_starts[first],
                    "end": end,
                    "n_tokens": count,
                    "first_paragraph": first,
                    "last_paragraph": paragraph,
                }
            )
            first, count = paragraph + 1, 0
    return pd.DataFrame(rows)


def build(folder: Path, doc_ids=("kollontai-ocr", "olivier-commentary")) -> dict:
    """Write clean texts, token and segment parquet files under ``folder``; return their paths."""
    from corpusflow.tables import write_parquet

    nlp = pipeline()
    paths = {"text": {}, "tokens": [], "segments": []}
    for doc_id in doc_ids:
        text = cleaned_like((CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8"))
        tokens = tokenise(nlp, doc_id, text)
        for name, frame in (("tokens", tokens), ("segments", segment(tokens, text))):
            path = folder / name / f"{doc_id}.parquet"
            write_parquet(frame, path)
            paths[name].append(path)
        paths["text"][doc_id] = folder / "clean" / f"{doc_id}.txt"
        paths["text"][doc_id].parent.mkdir(parents=True, exist_ok=True)
        paths["text"][doc_id].write_text(text, encoding="utf-8")
    return paths
