"""Synthetic graphs of tf-graph's shape, for measuring how commands scale.

The graph looks like the shipped one, only bigger: agencies (departments and their components,
members of coordination bodies), bodies (chaired by an agency, addressing topics), initiatives
(led by and partnered with agencies, under a pillar, with a status, topics, sectors, a date, a
quote, sometimes an amount) and topics in a ``skos:broader`` tree of their own, one branch in
twenty hung under a shipped topic (forced labor, human trafficking, ...). It reuses the
shipped slugs for pillars, statuses, the anchor topics and a few agencies (``agency:dhs``
...), so the named queries with their default parameters touch the synthetic data too.
Synthetic names ("Synthetic agency 12", "SA12") cannot be mistaken for real ones. The output
is deterministic for a given size.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from tf_graph.outputs import as_text, atomic_output

BASE = "https://w3id.org/tf-graph/id/"
HEADER = f"""@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix agency: <{BASE}agency/> .
@prefix body: <{BASE}body/> .
@prefix initiative: <{BASE}initiative/> .
@prefix topic: <{BASE}topic/> .
@prefix sector: <{BASE}sector/> .
@prefix pillar: <{BASE}pillar/> .
@prefix status: <{BASE}status/> .
@prefix source: <{BASE}source/> .
@prefix tfr: <{BASE}> .
"""
#: shipped slugs the synthetic data links to (docs/identifiers.md)
REAL_AGENCIES = ["dhs", "doj", "state", "dol", "hhs", "treasury", "usaid", "cbp", "fincen", "ovw"]
REAL_TOPICS = ["human-trafficking", "forced-labor", "labor-trafficking", "sex-trafficking"]
REAL_SECTORS = ["seafood", "health-care", "aviation", "federal-procurement", "education"]
PILLARS = ["prevention", "protection", "prosecution", "partnerships"]
STATUSES = ["completed", "ongoing", "planned"]
WORDS = [
    "training",
    "grant",
    "strategy",
    "guidance",
    "screening",
    "enforcement",
    "dialogue",
    "research",
    "network",
    "pilot",
    "program",
    "outreach",
    "hotline",
    "toolkit",
    "audit",
    "review",
    "partnership",
    "consortium",
    "workshop",
    "report",
]


def parse_size(text: str) -> int:
    """``10k`` -> 10_000, ``1M`` -> 1_000_000, ``2500`` -> 2500."""
    text = text.strip()
    factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    digits = text[:-1] if factor > 1 else text
    return int(float(digits) * factor)


def statements(triples: int, seed: int = 7) -> Iterator[tuple[str, int]]:
    """Turtle statements and how many triples each holds, until about ``triples``."""
    emitted = 0
    for statement, count in _statements(triples, seed):
        yield statement, count
        emitted += count
        if emitted >= triples:
            return


def _statements(triples: int, seed: int) -> Iterator[tuple[str, int]]:
    rng = random.Random(seed)
    n_agencies = max(40, triples // 700)
    n_bodies = max(10, triples // 3000)
    n_topics = max(20, min(2000, triples // 1500))
    agencies = [f"agency:syn-{i}" for i in range(n_agencies)]
    departments = agencies[:20]
    bodies = [f"body:syn-{i}" for i in range(n_bodies)]
    topics = [f"topic:syn-{i}" for i in range(n_topics)]
    all_agencies = agencies + [f"agency:{slug}" for slug in REAL_AGENCIES]
    all_topics = topics + [f"topic:{slug}" for slug in REAL_TOPICS]
    sectors = [f"sector:{slug}" for slug in REAL_SECTORS]

    yield (
        'source:syn-source a tf:SourceDocument ; rdfs:label "Synthetic source"@en .',
        2,
    )
    for i, topic in enumerate(topics):
        # mostly a tree of its own; one topic in twenty sits under a shipped topic
        if i == 0:
            parent = "skos:topConceptOf tfr:topics"
        elif rng.random() < 0.05:
            parent = f"skos:broader topic:{rng.choice(REAL_TOPICS)}"
        else:
            parent = f"skos:broader {topics[rng.randrange(i)]}"
        yield (
            f'{topic} a tf:Topic, skos:Concept ; rdfs:label "synthetic topic {i}"@en ; '
            f"skos:inScheme tfr:topics ; {parent} .",
            5,
        )
    for i, agency in enumerate(agencies):
        parent = ""
        if agency not in departments:
            parent = f" ; org:subOrganizationOf {rng.choice(departments)}"
        member = rng.sample(bodies, k=min(2, len(bodies)))
        yield (
            f'{agency} a tf:Agency ; rdfs:label "Synthetic agency {i}"@en ; '
            f'skos:altLabel "SA{i}" ; tf:memberOf {", ".join(member)}{parent} .',
            5 + (1 if parent else 0),
        )
    for i, body in enumerate(bodies):
        yield (
            f'{body} a tf:CoordinationBody ; rdfs:label "Synthetic body {i}"@en ; '
            f'skos:altLabel "SB{i}" ; tf:chairedBy {rng.choice(all_agencies)} ; '
            f"tf:addresses {rng.choice(all_topics)} ; prov:wasDerivedFrom source:syn-source .",
            6,
        )
    i = 0
    while True:
        words = " ".join(rng.sample(WORDS, 3))
        leads = rng.sample(all_agencies, k=rng.choice((1, 1, 1, 2)))
        partners = rng.sample(all_agencies, k=rng.choice((0, 1, 1, 2, 3)))
        addressed = rng.sample(all_topics, k=rng.choice((1, 1, 2)))
        date = f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        parts = [
            f"initiative:syn-{i} a tf:Initiative",
            f'rdfs:label "Synthetic {words} {i}"@en',
            f'rdfs:comment "A synthetic {words} for scale tests."@en',
            f"tf:ledBy {', '.join(leads)}",
            f"tf:pillar pillar:{rng.choice(PILLARS)}",
            f"tf:status status:{rng.choice(STATUSES)}",
            f"tf:addresses {', '.join(addressed)}",
            f'tf:date "{date}"^^xsd:date',
            f'tf:quote "The task force will pursue {words} number {i}."',
            "prov:wasDerivedFrom source:syn-source",
        ]
        count = 8 + len(leads) + len(addressed)
        if partners:
            parts.append(f"tf:partner {', '.join(partners)}")
            count += len(partners)
        if rng.random() < 0.3:
            parts.append(f"tf:sector {rng.choice(sectors)}")
            count += 1
        if rng.random() < 0.1:
            parts.append(f'tf:amountUSD "{rng.randint(1, 500) * 100000}"^^xsd:decimal')
            count += 1
        yield " ;\n    ".join(parts) + " .", count
        i += 1


def write_graph(path: Path, triples: int, seed: int = 7) -> int:
    """Write a synthetic graph of about ``triples`` triples as Turtle; returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with atomic_output(path) as handle, as_text(handle) as out:
        out.write(HEADER)
        for statement, count in statements(triples, seed):
            out.write(statement + "\n")
            total += count
    return total


if __name__ == "__main__":
    import sys

    size = parse_size(sys.argv[1] if len(sys.argv) > 1 else "10k")
    target = Path(sys.argv[2] if len(sys.argv) > 2 else f"benchmarks/out/synthetic-{size}.ttl")
    print(target, write_graph(target, size))
