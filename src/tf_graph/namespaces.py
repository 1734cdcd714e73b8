"""The project's namespaces, fixed by the ontology contract (shared/design/ontology-contract.md).

``TF_IRI``, ``TFR_IRI`` and the other ``*_IRI`` names are plain strings, for code that needs
no rdflib (the question path on the index). ``TF``, ``TFR``, ``RDFS``, ``PREFIXES``, ... are
rdflib namespaces, made when first imported from here: importing rdflib takes 0.07-0.12 s, more
than a question on the index takes.
"""

from __future__ import annotations

from typing import Any

TF_IRI = "https://w3id.org/tf-graph/ontology#"
TFR_IRI = "https://w3id.org/tf-graph/id/"
ORG_IRI = "http://www.w3.org/ns/org#"
SCHEMA_IRI = "https://schema.org/"
ELI_IRI = "http://data.europa.eu/eli/ontology#"
RDF_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_IRI = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_IRI = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_IRI = "http://purl.org/dc/terms/"

#: one namespace per kind of resource, as the contract asks ("…/id/agency/dhs")
KINDS = (
    "agency",
    "body",
    "initiative",
    "statute",
    "provision",
    "eo",
    "document",
    "pillar",
    "topic",
    "sector",
    "country",
    "event",
    "status",
    "source",
    "person",
    "group",
    "law",
    "statement",
)

#: prefix -> namespace IRI of everything bound on the graphs we build (PREFIXES, as strings)
PREFIX_IRIS: dict[str, str] = {
    "tf": TF_IRI,
    "tfr": TFR_IRI,
    "org": ORG_IRI,
    "schema": SCHEMA_IRI,
    "eli": ELI_IRI,
    "skos": SKOS_IRI,
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": DCTERMS_IRI,
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": RDF_IRI,
    "rdfs": RDFS_IRI,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{kind: f"{TFR_IRI}{kind}/" for kind in KINDS},
}

_RDFLIB_NAMES = frozenset(
    {"TF", "TFR", "ORG", "SCHEMA", "ELI", "KIND_NS", "STATUS", "PREFIXES"}
    | {"DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD"}
)


def __getattr__(name: str) -> Any:
    """The rdflib namespaces, made on first use (then kept as this module's attributes)."""
    if name not in _RDFLIB_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

    made: dict[str, Any] = {
        "TF": Namespace(TF_IRI),
        "TFR": Namespace(TFR_IRI),
        "ORG": Namespace(ORG_IRI),
        "SCHEMA": Namespace(SCHEMA_IRI),
        "ELI": Namespace(ELI_IRI),
        "DCTERMS": DCTERMS,
        "OWL": OWL,
        "PROV": PROV,
        "RDF": RDF,
        "RDFS": RDFS,
        "SKOS": SKOS,
        "XSD": XSD,
    }
    made["KIND_NS"] = {kind: Namespace(f"{TFR_IRI}{kind}/") for kind in KINDS}
    made["STATUS"] = made["KIND_NS"]["status"]
    made["PREFIXES"] = {
        prefix: made[prefix.upper()] if prefix.upper() in made else made["KIND_NS"][prefix]
        for prefix in PREFIX_IRIS
    }
    globals().update(made)
    return made[name]
