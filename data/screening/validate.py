"""Check a writer's JSON Lines file: valid JSON, known types, every substring in its text. Prints counts."""

import collections
import json
import sys

TYPES = {
    "pii.personnummer",
    "pii.samordningsnummer",
    "pii.phone",
    "pii.email",
    "pii.address",
    "pii.bank",
    "sensitive.health",
    "sensitive.ethnicity",
    "sensitive.religion",
    "sensitive.politics",
    "sensitive.sexuality",
    "sensitive.union",
    "individual_case",
    "threat",
    "hate",
    "harassment",
    "spam",
    "question",
}
path = sys.argv[1]
counts = collections.Counter()
texts = set()
bad = 0
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        e = json.loads(line)
        text = e["text"]
        findings = e["findings"]
        assert isinstance(text, str) and text.strip()
        for kind, sub in findings:
            assert kind in TYPES, f"unknown type {kind}"
            assert sub and sub in text, f"substring {sub!r} not in text"
    except Exception as exc:
        bad += 1
        print(f"line {n}: {exc}")
        continue
    if text in texts:
        print(f"line {n}: duplicate text")
        bad += 1
    texts.add(text)
    counts["comments"] += 1
    if not findings:
        counts["clean"] += 1
    for kind in {k for k, _ in findings}:
        counts[kind] += 1
print(dict(sorted(counts.items())))
print("errors:", bad)
