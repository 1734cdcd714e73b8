"""The project's namespaces, fixed by the ontology contract (shared/design/ontology-contract.md)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

TF = Namespace("https://w3id.org/tf-graph/ontology#")
TFR = Namespace("https://w3id.org/tf-graph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")

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
KIND_NS = {kind: Namespace(f"{TFR}{kind}/") for kind in KINDS}

STATUS = KIND_NS["status"]

#: prefixes bound on every graph we build, so that output reads well
PREFIXES = {
    "tf": TF,
    "tfr": TFR,
    "org": ORG,
    "schema": SCHEMA,
    "eli": ELI,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    **KIND_NS,
}
