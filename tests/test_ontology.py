"""The ontology (ontology/tf.ttl, concepts.ttl) and its SHACL shapes (ontology/shapes.ttl).

1. tf.ttl declares every class and property of the vocabulary contract and the agreed
   extensions, with label, comment, domain/range and alignment (the contract is hard-coded
   below: it is the spec, and the shared design folder is not in CI).
2. The shipped data conforms to the shapes.
3. Each shape rejects a crafted bad graph: a small valid graph that uses every property is
   broken in exactly one way and pyshacl must report exactly the expected (focus node, shape)
   violations, while the unbroken graph conforms.

pyshacl settings (the same as the comment at the top of shapes.ttl, and tf_graph.build.validation):
``inference="none"`` so that rdfs:domain/range cannot turn a wrong value into a right one,
``ont_graph`` = tf.ttl + concepts.ttl so that sh:class and sh:targetClass follow
rdfs:subClassOf (tested below with a user's subclass of tf:Agency / tf:Initiative), and
``allow_warnings=True`` so that sh:Warning results are reported without failing conformance.
pyshacl copies only the RDFS/OWL axioms of ``ont_graph`` into the data, not SKOS concepts, so
the status concepts must be in the data graph itself, as load_graph() puts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from tf_graph import resources
from tf_graph.build.validation import prepared_queries
from tf_graph.namespaces import ELI, ORG, SCHEMA, TF, TFR

#: a plain namespace: pytest probes module globals, and rdflib's closed XSD namespace warns
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

SH = Namespace("http://www.w3.org/ns/shacl#")
TFSH = Namespace("https://w3id.org/tf-graph/shapes#")
VANN = Namespace("http://purl.org/vocab/vann/")
EX = Namespace("https://example.org/")
ONTOLOGY_IRI = URIRef("https://w3id.org/tf-graph/ontology")

AGENCY = Namespace(f"{TFR}agency/")
BODY = Namespace(f"{TFR}body/")
INIT = Namespace(f"{TFR}initiative/")
STATUS = Namespace(f"{TFR}status/")

# --------------------------------------------------------------------------------------------
# The contract (shared/design/ontology-contract.md) and the agreed extensions (team rules)
# --------------------------------------------------------------------------------------------

#: class -> the standard classes it must be a subclass of
CLASSES = {
    "Agency": {ORG.FormalOrganization, SCHEMA.GovernmentOrganization},
    "CoordinationBody": {ORG.Organization},
    "Initiative": {PROV.Activity, SCHEMA.Action},
    "Statute": {ELI.LegalResource, SCHEMA.Legislation},
    "StatutoryProvision": {ELI.LegalResourceSubdivision},
    "ExecutiveOrder": {SCHEMA.Legislation},
    "PolicyDocument": {SCHEMA.CreativeWork},
    "Pillar": {SKOS.Concept},
    "Topic": {SKOS.Concept},
    "Sector": {SKOS.Concept},
    "Country": {SCHEMA.Country},
    "Event": {SCHEMA.Event},
    "SourceDocument": {PROV.Entity, SCHEMA.CreativeWork},
    "Person": {SCHEMA.Person, PROV.Agent},  # agreed extension
    "Group": {SKOS.Concept},  # issue 15: the groups the sheet names
    # the law texts (issue 14): their parts, and statement-level provenance
    "LegalText": {ELI.LegalResource},
    "Statement": {RDF.Statement, PROV.Entity},
}


@dataclass(frozen=True)
class Prop:
    """What the contract says of one property: its OWL kind, domain and range (None: any)."""

    kind: URIRef
    domain: frozenset[str] | None
    range: frozenset[URIRef] | None
    supers: frozenset[URIRef] = field(default_factory=frozenset)


def _tf(*names: str) -> frozenset[URIRef]:
    return frozenset(TF[n] for n in names)


OBJ, DATA = OWL.ObjectProperty, OWL.DatatypeProperty
PROPERTIES = {
    "ledBy": Prop(
        OBJ,
        _tf("Initiative"),
        _tf("Agency", "CoordinationBody"),
        frozenset({PROV.wasAssociatedWith}),
    ),
    "partner": Prop(OBJ, _tf("Initiative"), _tf("Agency", "CoordinationBody", "Country")),
    "pillar": Prop(OBJ, _tf("Initiative"), _tf("Pillar")),
    "addresses": Prop(
        OBJ,
        # the contract lists no executive order, but orders are about topics too (EO 14053)
        _tf(
            "Initiative",
            "CoordinationBody",
            "Statute",
            "StatutoryProvision",
            "ExecutiveOrder",
            "PolicyDocument",
        ),
        _tf("Topic"),
        frozenset({DCTERMS.subject}),
    ),
    "sector": Prop(OBJ, _tf("Initiative"), _tf("Sector")),
    "country": Prop(OBJ, _tf("Initiative", "CoordinationBody"), _tf("Country")),
    "implements": Prop(
        OBJ,
        _tf("Initiative", "CoordinationBody"),
        _tf("Statute", "StatutoryProvision", "ExecutiveOrder", "PolicyDocument"),
    ),
    # agreed extension: an agency that enforces a law itself (CBP, section 307; reference facts)
    "enforces": Prop(OBJ, _tf("Agency"), _tf("Statute", "StatutoryProvision")),
    "produces": Prop(OBJ, _tf("Initiative"), _tf("PolicyDocument", "CoordinationBody", "Agency")),
    "establishedBy": Prop(
        OBJ,
        _tf("CoordinationBody", "Agency"),
        _tf("Statute", "StatutoryProvision", "ExecutiveOrder", "Agency"),
    ),
    "chairedBy": Prop(OBJ, _tf("CoordinationBody"), _tf("Agency")),
    "memberOf": Prop(OBJ, _tf("Agency"), _tf("CoordinationBody"), frozenset({ORG.memberOf})),
    # the contract says "Agency (or the White House)"; bodies issue their own reports (the
    # Advisory Council's annual report, the FLETF's strategy), so the range adds them
    "issuedBy": Prop(
        OBJ,
        _tf("PolicyDocument", "ExecutiveOrder"),
        _tf("Agency", "CoordinationBody"),
        frozenset({DCTERMS.publisher}),
    ),
    # issue 15: documents (published, planned) and bodies (established, planned) have one too
    "status": Prop(
        OBJ, _tf("Initiative", "PolicyDocument", "CoordinationBody"), frozenset({SKOS.Concept})
    ),
    "date": Prop(
        DATA, None, frozenset({XSD.date, XSD.gYearMonth, XSD.gYear}), frozenset({DCTERMS.date})
    ),
    "amountUSD": Prop(DATA, _tf("Initiative"), frozenset({XSD.decimal})),
    "quote": Prop(DATA, None, frozenset({XSD.string})),
    # agreed extensions
    "localCopy": Prop(DATA, _tf("SourceDocument"), frozenset({XSD.string})),
    "announcedAt": Prop(OBJ, _tf("Initiative"), _tf("Event")),
    "advises": Prop(OBJ, _tf("CoordinationBody"), _tf("CoordinationBody")),
    "amountQualifier": Prop(DATA, _tf("Initiative"), frozenset({XSD.string})),
    # issue 15: facts of the sheet that lived only in quotes and comments
    "disproportionatelyAffects": Prop(OBJ, _tf("Topic"), _tf("Group")),
    "stakeholder": Prop(OBJ, _tf("Initiative"), _tf("Sector", "Group")),
    "restarts": Prop(OBJ, _tf("Initiative"), _tf("CoordinationBody")),
    "expands": Prop(OBJ, _tf("Initiative"), _tf("Initiative")),
    "involves": Prop(OBJ, _tf("Initiative"), _tf("Agency", "CoordinationBody")),
    "coversPillar": Prop(OBJ, _tf("PolicyDocument"), _tf("Pillar")),
    "agencyCount": Prop(DATA, _tf("CoordinationBody"), frozenset({XSD.integer})),
    "cabinetLevel": Prop(DATA, _tf("CoordinationBody"), frozenset({XSD.boolean})),
    "madeUpOf": Prop(DATA, _tf("CoordinationBody"), frozenset({XSD.string})),
    "priorityActionCount": Prop(DATA, _tf("PolicyDocument"), frozenset({XSD.integer})),
    "remediatingCorporationCount": Prop(DATA, _tf("Initiative"), frozenset({XSD.integer})),
    "countQualifier": Prop(DATA, None, frozenset({XSD.string})),
    # derived by the rules in queries/rules/ (marked with tf:derivedBy, see test_rules.py)
    "derivedBy": Prop(OWL.AnnotationProperty, None, frozenset({XSD.string})),
    "partOfAgency": Prop(OBJ, _tf("Agency", "CoordinationBody"), _tf("Agency")),
    "underTopic": Prop(OBJ, _tf("Topic"), _tf("Topic")),
    "countsForTopic": Prop(OBJ, _tf("Topic"), _tf("Topic")),
    "withinLaw": Prop(
        OBJ, None, _tf("Statute", "StatutoryProvision", "ExecutiveOrder", "PolicyDocument")
    ),
    "joinedQuote": Prop(DATA, None, frozenset({XSD.string})),
    "joinedSources": Prop(DATA, None, frozenset({XSD.string})),
    "pillarCount": Prop(DATA, _tf("Agency"), frozenset({XSD.integer})),
    # the law texts and statement-level provenance (issue 14)
    "codifiedAt": Prop(
        OBJ, _tf("Statute", "StatutoryProvision"), _tf("LegalText"), frozenset({DCTERMS.relation})
    ),
    "within": Prop(OBJ, _tf("LegalText"), _tf("LegalText")),
    "locator": Prop(RDF.Property, _tf("Statement"), frozenset({RDFS.Resource})),
    "text": Prop(DATA, _tf("LegalText"), frozenset({XSD.string}), frozenset({SCHEMA.text})),
    "position": Prop(DATA, _tf("LegalText"), frozenset({XSD.integer})),
    "duty": Prop(DATA, _tf("CoordinationBody", "Agency"), frozenset({XSD.string})),
    "prohibits": Prop(
        DATA, _tf("Statute", "StatutoryProvision", "LegalText"), frozenset({XSD.string})
    ),
    "retrievedFrom": Prop(DATA, _tf("SourceDocument"), frozenset({XSD.string})),
    "completeness": Prop(DATA, _tf("SourceDocument"), frozenset({XSD.string})),
}

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _parse(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(resources.ontology_dir() / name, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse("tf.ttl")


@pytest.fixture(scope="module")
def ont_graph() -> Graph:
    """What pyshacl gets as ``ont_graph``: the ontology and the status scheme."""
    return _parse("tf.ttl", "concepts.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse("shapes.ttl")


def _classes_of(graph: Graph, node) -> frozenset[URIRef]:
    """A class, or the members of an owl:unionOf class expression."""
    union = graph.value(node, OWL.unionOf)
    if union is None:
        return frozenset({node})
    return frozenset(Collection(graph, union))


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: frozenset[tuple]  # (focus node, source shape)
    warnings: frozenset[tuple]
    text: str


def validate(data: Graph, shapes: Graph, ont_graph: Graph) -> Report:
    """Run the shapes with the project's settings; results as (focus, shape) pairs by severity
    (each SPARQL constraint's text parsed once, not once per focus node)."""
    with prepared_queries():
        conforms, results, text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ont_graph,
            inference="none",
            advanced=False,
            allow_warnings=True,
        )
    found: dict[URIRef, set] = {SH.Violation: set(), SH.Warning: set(), SH.Info: set()}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        pair = (results.value(result, SH.focusNode), results.value(result, SH.sourceShape))
        found[results.value(result, SH.resultSeverity)].add(pair)
    return Report(conforms, frozenset(found[SH.Violation]), frozenset(found[SH.Warning]), text)


# --------------------------------------------------------------------------------------------
# 1. tf.ttl declares the contract
# --------------------------------------------------------------------------------------------


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.created):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("tf")


def _assert_documented(ontology: Graph, term: URIRef) -> None:
    labels = list(ontology.objects(term, RDFS.label))
    assert len(labels) == 1 and labels[0].language == "en", f"{term}: one rdfs:label@en"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology
    comments = list(ontology.objects(term, RDFS.comment))
    assert len(comments) == 1 and len(str(comments[0])) > 20, f"{term}: one rdfs:comment"


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_class_declared_and_aligned(ontology, name):
    cls = TF[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    _assert_documented(ontology, cls)
    supers = set(ontology.objects(cls, RDFS.subClassOf))
    assert CLASSES[name] <= supers, f"{name} lacks alignment {CLASSES[name] - supers}"


@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_property_declared(ontology, name):
    prop, spec = TF[name], PROPERTIES[name]
    assert (prop, RDF.type, spec.kind) in ontology
    _assert_documented(ontology, prop)
    domain = ontology.value(prop, RDFS.domain)
    if spec.domain is None:
        assert domain is None, f"{name} applies to anything: no rdfs:domain"
    else:
        assert _classes_of(ontology, domain) == spec.domain
    rng = ontology.value(prop, RDFS.range)
    assert rng is not None and _classes_of(ontology, rng) == spec.range
    assert spec.supers <= set(ontology.objects(prop, RDFS.subPropertyOf))


def test_no_undeclared_tf_terms(ontology):
    """Every tf: term tf.ttl mentions is one of the contract's (no typos, no strays)."""
    expected = {TF[n] for n in CLASSES} | {TF[n] for n in PROPERTIES}
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and t in TF}
    assert used == expected


def test_no_instance_data(ontology):
    """tf.ttl holds only the vocabulary: nothing is typed with a tf: class or lives under tfr:."""
    for cls in CLASSES:
        assert not list(ontology.subjects(RDF.type, TF[cls]))
    assert not [s for s in ontology.subjects() if isinstance(s, URIRef) and s in TFR]


#: every standard term tf.ttl may align to, checked against each vocabulary's definition
FOAF_AGENT = URIRef("http://xmlns.com/foaf/0.1/Agent")
KNOWN_EXTERNAL = {
    ORG.Organization, ORG.FormalOrganization, ORG.memberOf, FOAF_AGENT,
    SCHEMA.GovernmentOrganization, SCHEMA.Action, SCHEMA.Legislation, SCHEMA.CreativeWork,
    SCHEMA.Country, SCHEMA.Event, SCHEMA.Person, SCHEMA.agent, SCHEMA.participant,
    SCHEMA.result, SCHEMA.actionStatus,
    PROV.Activity, PROV.Entity, PROV.Agent, PROV.wasAssociatedWith, PROV.wasInfluencedBy,
    PROV.wasAttributedTo,
    ELI.LegalResource, ELI.LegalResourceSubdivision,
    SKOS.Concept,
    DCTERMS.Location, DCTERMS.date, DCTERMS.subject, DCTERMS.spatial, DCTERMS.publisher,
    RDF.Statement, DCTERMS.relation, SCHEMA.text,
}  # fmt: skip


def test_alignment_targets_are_known_standard_terms(ontology):
    """Alignments point only at real terms of the standard vocabularies (no invented names)."""
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
        for _, target in ontology.subject_objects(predicate):
            assert target in TF or target in KNOWN_EXTERNAL, target


def test_status_scheme():
    concepts = _parse("concepts.ttl")
    scheme = TFR.statuses
    assert (scheme, RDF.type, SKOS.ConceptScheme) in concepts
    members = set(concepts.subjects(SKOS.inScheme, scheme))
    assert members == {STATUS.completed, STATUS.ongoing, STATUS.planned}
    for concept in members:
        name = str(concept).rsplit("/", 1)[1]
        assert (concept, RDF.type, SKOS.Concept) in concepts
        assert [str(x) for x in concepts.objects(concept, RDFS.label)] == [name]
        assert [str(x) for x in concepts.objects(concept, SKOS.prefLabel)] == [name]
        assert concepts.value(concept, SKOS.definition) is not None
        assert (concept, SKOS.topConceptOf, scheme) in concepts
        assert (scheme, SKOS.hasTopConcept, concept) in concepts


# --------------------------------------------------------------------------------------------
# The shapes file itself
# --------------------------------------------------------------------------------------------


def test_every_shape_is_named_and_explains_itself(shapes):
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape)}
    named |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    constraint_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    constraint_shapes |= set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(named) > 30
    for shape in named | constraint_shapes:
        assert shapes.value(shape, SH.name) is not None, f"{shape}: sh:name"
    for shape in constraint_shapes:
        assert shapes.value(shape, SH.message) is not None, f"{shape}: sh:message"
        assert shapes.value(shape, SH.severity) in {SH.Violation, SH.Warning}


def test_every_object_property_has_a_range_shape(ontology, shapes):
    """Each stated tf: object property (and org:subOrganizationOf, prov:wasDerivedFrom) is
    range-checked wherever it is used, and is watched by the no-dangling-links rule."""
    checked = {
        shapes.value(shape, SH.path)
        for shape in shapes.subjects(SH.targetSubjectsOf, None)
        if shapes.value(shape, SH.path) in set(shapes.objects(shape, SH.targetSubjectsOf))
    }
    # derived properties are the rules' output, checked by tests/test_rules.py, not by shapes
    object_properties = {
        p
        for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
        if p in TF and (p, TF.derivedBy, None) not in ontology
    }
    wanted = object_properties | {ORG.subOrganizationOf, PROV.wasDerivedFrom}
    assert wanted <= checked, wanted - checked
    dangling_targets = set(shapes.objects(TFSH.NoDanglingLinks, SH.targetSubjectsOf))
    links = {ORG.subOrganizationOf, PROV.wasDerivedFrom, DCTERMS.isPartOf, SKOS.broader,
             SKOS.inScheme}  # fmt: skip
    assert object_properties | links <= dangling_targets
    # the rule finds its link properties as the ontology's declared object properties
    assert links <= set(ontology.subjects(RDF.type, OWL.ObjectProperty))


# --------------------------------------------------------------------------------------------
# 2. The shipped data conforms
# --------------------------------------------------------------------------------------------


def test_shipped_data_conforms(shapes, ont_graph, memory_graph):
    graph = memory_graph  # (pyshacl validates a copy: ont_graph is mixed into it)
    assert len(set(graph.subjects(RDF.type, TF.Initiative))) >= 30
    report = validate(graph, shapes, ont_graph)
    assert report.conforms, report.text
    assert not report.violations


# --------------------------------------------------------------------------------------------
# 3. Each shape rejects a crafted bad graph
# --------------------------------------------------------------------------------------------

#: a small graph that keeps every rule and uses every property the shapes check
VALID = """
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix tfr: <https://w3id.org/tf-graph/id/> .
@prefix agency: <https://w3id.org/tf-graph/id/agency/> .
@prefix body: <https://w3id.org/tf-graph/id/body/> .
@prefix initiative: <https://w3id.org/tf-graph/id/initiative/> .
@prefix statute: <https://w3id.org/tf-graph/id/statute/> .
@prefix provision: <https://w3id.org/tf-graph/id/provision/> .
@prefix eo: <https://w3id.org/tf-graph/id/eo/> .
@prefix document: <https://w3id.org/tf-graph/id/document/> .
@prefix pillar: <https://w3id.org/tf-graph/id/pillar/> .
@prefix topic: <https://w3id.org/tf-graph/id/topic/> .
@prefix sector: <https://w3id.org/tf-graph/id/sector/> .
@prefix country: <https://w3id.org/tf-graph/id/country/> .
@prefix event: <https://w3id.org/tf-graph/id/event/> .
@prefix status: <https://w3id.org/tf-graph/id/status/> .
@prefix source: <https://w3id.org/tf-graph/id/source/> .
@prefix person: <https://w3id.org/tf-graph/id/person/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

source:fs a tf:SourceDocument ; rdfs:label "Fact sheet"@en ;
    schema:url <https://www.whitehouse.gov/> ; tf:date "2022-01-25"^^xsd:date ;
    tf:localCopy "sources/pitf-fact-sheet-2022-01-25.md" .

initiative:x a tf:Initiative ; rdfs:label "Initiative X"@en ;
    tf:ledBy agency:doj ; tf:partner agency:dhs , body:fletf , country:mexico ;
    tf:pillar pillar:protection ; tf:status status:completed ;
    tf:date "2021-12"^^xsd:gYearMonth ;
    tf:amountUSD "87000000"^^xsd:decimal ; tf:amountQualifier "almost" ;
    tf:addresses topic:forced-labor ; tf:sector sector:seafood ; tf:country country:mexico ;
    tf:implements statute:tvpa , provision:tariff-act-1930-s307 , eo:14053 , document:nap ;
    tf:produces document:strategy , body:group , agency:unit ;
    tf:announcedAt event:meeting ;
    tf:quote "DOJ announced almost $87 million" ; prov:wasDerivedFrom source:fs .

agency:doj a tf:Agency ; rdfs:label "Department of Justice"@en ; skos:altLabel "DOJ" ;
    rdfs:comment "The federal justice department."@en ; schema:url <https://www.justice.gov/> ;
    tf:memberOf body:pitf .
agency:dhs a tf:Agency ; rdfs:label "Department of Homeland Security"@en ; skos:altLabel "DHS" ;
    tf:establishedBy statute:hsa .
agency:cbp a tf:Agency ; rdfs:label "U.S. Customs and Border Protection"@en ; skos:altLabel "CBP" ;
    org:subOrganizationOf agency:dhs ; tf:enforces provision:tariff-act-1930-s307 .
agency:unit a tf:Agency ; rdfs:label "A new unit"@en ; skos:altLabel "NU" ;
    org:subOrganizationOf agency:doj .
body:pitf a tf:CoordinationBody ; rdfs:label "Interagency Task Force"@en ; skos:altLabel "PITF" ;
    tf:establishedBy statute:tvpa , provision:tvpa-s105 ; tf:chairedBy agency:dhs ;
    tf:quote "PITF" ; prov:wasDerivedFrom source:fs .
body:fletf a tf:CoordinationBody ; rdfs:label "Forced Labor Enforcement Task Force"@en ;
    skos:altLabel "FLETF" ; tf:chairedBy agency:dhs ;
    tf:establishedBy eo:14053 , agency:dhs ; tf:country country:china ;
    tf:addresses topic:forced-labor ; tf:implements statute:tvpa .
body:group a tf:CoordinationBody ; rdfs:label "A working group"@en ; skos:altLabel "WG" ;
    org:subOrganizationOf body:pitf ; tf:advises body:pitf .
statute:tvpa a tf:Statute ; rdfs:label "TVPA"@en ; tf:addresses topic:forced-labor ;
    dcterms:identifier "Pub. L. 106-386" ; dcterms:source <https://uscode.house.gov/> .
statute:hsa a tf:Statute ; rdfs:label "Homeland Security Act"@en .
provision:tvpa-s105 a tf:StatutoryProvision ; rdfs:label "TVPA section 105"@en ;
    dcterms:isPartOf statute:tvpa .
provision:tariff-act-1930-s307 a tf:StatutoryProvision ; rdfs:label "Section 307"@en ;
    dcterms:isPartOf statute:tvpa ; tf:addresses topic:forced-labor .
eo:14053 a tf:ExecutiveOrder ; rdfs:label "EO 14053"@en ; tf:issuedBy agency:white-house .
agency:white-house a tf:Agency ; rdfs:label "The White House"@en ; skos:altLabel "WH" .
document:nap a tf:PolicyDocument ; rdfs:label "National Action Plan"@en ;
    tf:issuedBy agency:white-house ; tf:addresses topic:forced-labor .
document:strategy a tf:PolicyDocument ; rdfs:label "A strategy"@en .
pillar:protection a tf:Pillar ; rdfs:label "Protection"@en ; skos:inScheme tfr:pillars .
pillar:prevention a tf:Pillar ; rdfs:label "Prevention"@en ; skos:inScheme tfr:pillars .
tfr:pillars a skos:ConceptScheme ; rdfs:label "Pillars"@en .
topic:human-trafficking a tf:Topic ; rdfs:label "human trafficking"@en ;
    skos:inScheme tfr:topics .
topic:forced-labor a tf:Topic ; rdfs:label "forced labor"@en ;
    skos:prefLabel "forced labor"@en ; skos:altLabel "forced labour"@en ;
    skos:inScheme tfr:topics ; skos:broader topic:human-trafficking .
tfr:topics a skos:ConceptScheme ; rdfs:label "Topics"@en .
sector:food a tf:Sector ; rdfs:label "food"@en ; skos:inScheme tfr:sectors .
sector:seafood a tf:Sector ; rdfs:label "seafood"@en ; skos:inScheme tfr:sectors ;
    skos:broader sector:food .
tfr:sectors a skos:ConceptScheme ; rdfs:label "Sectors"@en .
country:mexico a tf:Country ; rdfs:label "Mexico"@en .
country:china a tf:Country ; rdfs:label "China"@en .
event:meeting a tf:Event ; rdfs:label "PITF meeting"@en ; tf:date "2022-01-25"^^xsd:date .
person:harris a tf:Person ; rdfs:label "Kamala Harris"@en ; schema:jobTitle "Vice President" .
"""

X = INIT.x
DOJ, DHS, CBP, FLETF, PITF = AGENCY.doj, AGENCY.dhs, AGENCY.cbp, BODY.fletf, BODY.pitf
TOPIC = Namespace(f"{TFR}topic/")
SECTOR = Namespace(f"{TFR}sector/")
PILLAR = Namespace(f"{TFR}pillar/")
PROVISION = Namespace(f"{TFR}provision/")
STATUTE = Namespace(f"{TFR}statute/")
EO = Namespace(f"{TFR}eo/")
DOCUMENT = Namespace(f"{TFR}document/")
COUNTRY = Namespace(f"{TFR}country/")
SOURCE = Namespace(f"{TFR}source/")
PERSON = Namespace(f"{TFR}person/")
GHOST = AGENCY.ghost  # a link target that the graph never describes
S307 = PROVISION["tariff-act-1930-s307"]
FORCED_LABOR = TOPIC["forced-labor"]
FS = SOURCE.fs


@dataclass(frozen=True)
class Case:
    """One way to break the valid graph, and exactly the (focus, shape) violations it must give."""

    remove: tuple
    add: tuple
    expected: frozenset


def case(remove, add, *expected: tuple) -> Case:
    return Case(tuple(remove), tuple(add), frozenset(expected))


def swap(subject, predicate, old, new, *expected: tuple) -> Case:
    """Replace one value; by default the violation is expected on ``subject``."""
    return case([(subject, predicate, old)], [(subject, predicate, new)], *expected)


QUOTE = Literal("DOJ announced almost $87 million")
AMOUNT = Literal("87000000", datatype=XSD.decimal)
DATE = Literal("2021-12", datatype=XSD.gYearMonth)
MEETING = TFR["event/meeting"]

CASES = {
    # initiatives: lead, pillar, status, quote, source
    "no lead": case([(X, TF.ledBy, DOJ)], [], (X, TFSH.InitiativeLedBy)),
    "no pillar": case([(X, TF.pillar, PILLAR.protection)], [], (X, TFSH.InitiativePillar)),
    "two pillars": case([], [(X, TF.pillar, PILLAR.prevention)], (X, TFSH.InitiativePillar)),
    "no status": case([(X, TF.status, STATUS.completed)], [], (X, TFSH.InitiativeStatus)),
    "two statuses": case([], [(X, TF.status, STATUS.planned)], (X, TFSH.InitiativeStatus)),
    'status "done" (literal)': swap(
        X,
        TF.status,
        STATUS.completed,
        Literal("done"),
        (X, TFSH.StatusValue),
        (X, TFSH.NoDanglingLinks),
    ),
    "status done (undescribed IRI)": swap(
        X,
        TF.status,
        STATUS.completed,
        STATUS.done,
        (X, TFSH.StatusValue),
        (X, TFSH.NoDanglingLinks),
    ),
    "status done (a described concept outside the set)": case(
        [(X, TF.status, STATUS.completed)],
        [
            (X, TF.status, STATUS.done),
            (STATUS.done, RDF.type, SKOS.Concept),
            (STATUS.done, RDFS.label, Literal("done")),
        ],
        (X, TFSH.StatusValue),
    ),
    # issue 15: each kind of thing keeps to its own statuses
    "initiative published": swap(
        X, TF.status, STATUS.completed, STATUS.published, (X, TFSH.InitiativeStatusKind)
    ),
    "document completed": case(
        [], [(DOCUMENT.nap, TF.status, STATUS.completed)], (DOCUMENT.nap, TFSH.DocumentStatusKind)
    ),
    "document planned and published": case(
        [],
        [(DOCUMENT.nap, TF.status, STATUS.planned), (DOCUMENT.nap, TF.status, STATUS.published)],
        (DOCUMENT.nap, TFSH.DocumentStatusKind),
    ),
    "body published": case(
        [], [(FLETF, TF.status, STATUS.published)], (FLETF, TFSH.BodyStatusKind)
    ),
    "no quote": case([(X, TF.quote, QUOTE)], [], (X, TFSH.InitiativeQuote)),
    "no source": case(
        [(X, PROV.wasDerivedFrom, FS)], [], (X, TFSH.InitiativeSource), (X, TFSH.QuoteSource)
    ),
    "source is not a SourceDocument": swap(
        X,
        PROV.wasDerivedFrom,
        FS,
        DOCUMENT.nap,
        (X, TFSH.InitiativeSource),
        (X, TFSH.DerivedFromRange),
    ),
    # datatypes and value ranges of literals
    "date typed xsd:string": swap(
        X, TF.date, DATE, Literal("2021-12", datatype=XSD.string), (X, TFSH.DateDatatype)
    ),
    "date as a plain string": swap(
        X, TF.date, DATE, Literal("December 2021"), (X, TFSH.DateDatatype)
    ),
    "date ill-formed gYearMonth": swap(
        X,
        TF.date,
        DATE,
        Literal("December 2021", datatype=XSD.gYearMonth),
        (X, TFSH.DateDatatype),
    ),
    "date ill-formed gYear": swap(
        X, TF.date, DATE, Literal("21", datatype=XSD.gYear), (X, TFSH.DateDatatype)
    ),
    "date ill-formed xsd:date": swap(
        X, TF.date, DATE, Literal("2021-12", datatype=XSD.date), (X, TFSH.DateDatatype)
    ),
    "two dates": case(
        [], [(X, TF.date, Literal("2021", datatype=XSD.gYear))], (X, TFSH.DateDatatype)
    ),
    "event date typed xsd:dateTime": swap(
        MEETING,
        TF.date,
        Literal("2022-01-25", datatype=XSD.date),
        Literal("2022-01-25T10:00:00", datatype=XSD.dateTime),
        (MEETING, TFSH.DateDatatype),
    ),
    "amount as a string": swap(
        X, TF.amountUSD, AMOUNT, Literal("87000000"), (X, TFSH.AmountDatatype)
    ),
    "amount as xsd:integer": swap(
        X,
        TF.amountUSD,
        AMOUNT,
        Literal("87000000", datatype=XSD.integer),
        (X, TFSH.AmountDatatype),
    ),
    "negative amount": swap(
        X, TF.amountUSD, AMOUNT, Literal("-5", datatype=XSD.decimal), (X, TFSH.AmountDatatype)
    ),
    "qualifier without an amount": case(
        [(X, TF.amountUSD, AMOUNT)], [], (X, TFSH.AmountQualifierNeedsAmount)
    ),
    "qualifier with a language tag": swap(
        X,
        TF.amountQualifier,
        Literal("almost"),
        Literal("almost", lang="en"),
        (X, TFSH.AmountQualifierDatatype),
    ),
    "quote as IRI": swap(X, TF.quote, QUOTE, EX.quote, (X, TFSH.QuoteDatatype)),
    "quote with a language tag": swap(
        X, TF.quote, QUOTE, Literal(str(QUOTE), lang="en"), (X, TFSH.QuoteDatatype)
    ),
    "quote on a body without a source": case(
        [(PITF, PROV.wasDerivedFrom, FS)], [], (PITF, TFSH.QuoteSource)
    ),
    "two local copies": case(
        [], [(FS, TF.localCopy, Literal("sources/other.md"))], (FS, TFSH.LocalCopyDatatype)
    ),
    # labels
    "agency with two labels": case(
        [], [(DOJ, RDFS.label, Literal("Justice Department"))], (DOJ, TFSH.LabelExactlyOne)
    ),
    "person without a label": case(
        [(PERSON.harris, RDFS.label, Literal("Kamala Harris", lang="en"))],
        [],
        (PERSON.harris, TFSH.LabelExactlyOne),
    ),
    "label that is a number": swap(
        COUNTRY.china,
        RDFS.label,
        Literal("China", lang="en"),
        Literal(7),
        (COUNTRY.china, TFSH.LabelExactlyOne),
    ),
    "two English prefLabels": case(
        [],
        [(FORCED_LABOR, SKOS.prefLabel, Literal("FL", lang="en"))],
        (FORCED_LABOR, TFSH.PrefLabel),
    ),
    "altLabel that is an IRI": case([], [(DOJ, SKOS.altLabel, EX.doj)], (DOJ, TFSH.AltLabel)),
    "concept scheme without a label": case(
        [(TFR.sectors, RDFS.label, Literal("Sectors", lang="en"))],
        [],
        (TFR.sectors, TFSH.LabelExactlyOne),
        (SECTOR.food, TFSH.NoDanglingLinks),
        (SECTOR.seafood, TFSH.NoDanglingLinks),
    ),
    # descriptions
    "two comments": case([], [(DOJ, RDFS.comment, Literal("Another."))], (DOJ, TFSH.CommentText)),
    "identifier as IRI": case(
        [], [(EO["14053"], DCTERMS.identifier, EX.eo14053)], (EO["14053"], TFSH.IdentifierText)
    ),
    "url as a string": case(
        [],
        [(DOCUMENT.nap, SCHEMA.url, Literal("https://www.whitehouse.gov/"))],
        (DOCUMENT.nap, TFSH.UrlIRI),
    ),
    "reference source as a string": case(
        [],
        [(STATUTE.tvpa, DCTERMS.source, Literal("uscode.house.gov"))],
        (STATUTE.tvpa, TFSH.ReferenceSourceIRI),
    ),
    # laws and concept schemes
    "provision without its Act": case(
        [(S307, DCTERMS.isPartOf, STATUTE.tvpa)], [], (S307, TFSH.ProvisionPartOf)
    ),
    "provision part of an executive order": swap(
        S307, DCTERMS.isPartOf, STATUTE.tvpa, EO["14053"], (S307, TFSH.ProvisionPartOf)
    ),
    "pillar outside the pillars scheme": case(
        [(PILLAR.protection, SKOS.inScheme, TFR.pillars)],
        [],
        (PILLAR.protection, TFSH.PillarScheme),
    ),
    "topic in the sectors scheme": swap(
        FORCED_LABOR, SKOS.inScheme, TFR.topics, TFR.sectors, (FORCED_LABOR, TFSH.TopicScheme)
    ),
    "topic broader than a sector": swap(
        FORCED_LABOR,
        SKOS.broader,
        TOPIC["human-trafficking"],
        SECTOR.food,
        (FORCED_LABOR, TFSH.TopicBroader),
    ),
    "sector outside the sectors scheme": case(
        [(SECTOR.seafood, SKOS.inScheme, TFR.sectors)], [], (SECTOR.seafood, TFSH.SectorScheme)
    ),
    "sector broader than a topic": swap(
        SECTOR.seafood,
        SKOS.broader,
        SECTOR.food,
        FORCED_LABOR,
        (SECTOR.seafood, TFSH.SectorBroader),
    ),
    # dangling links
    "dangling partner": case(
        [], [(X, TF.partner, GHOST)], (X, TFSH.PartnerRange), (X, TFSH.NoDanglingLinks)
    ),
    "lead given as a string": swap(
        X, TF.ledBy, DOJ, Literal("DOJ"), (X, TFSH.LedByRange), (X, TFSH.NoDanglingLinks)
    ),
    "partner typed but unlabelled": case(
        [],
        [(X, TF.partner, GHOST), (GHOST, RDF.type, TF.Agency)],
        (X, TFSH.NoDanglingLinks),
        (GHOST, TFSH.LabelExactlyOne),
    ),
    "parent labelled but untyped": case(
        [],
        [(CBP, ORG.subOrganizationOf, GHOST), (GHOST, RDFS.label, Literal("Ghost"))],
        (CBP, TFSH.SubOrganizationOfRange),
        (CBP, TFSH.NoDanglingLinks),
    ),
    "broader topic undescribed": swap(
        FORCED_LABOR,
        SKOS.broader,
        TOPIC["human-trafficking"],
        TOPIC.ghost,
        (FORCED_LABOR, TFSH.TopicBroader),
        (FORCED_LABOR, TFSH.NoDanglingLinks),
    ),
}

# wrong class at the end of each object property: (subject, property, old value, new value)
RANGE_CASES = {
    "ledBy": (X, TF.ledBy, DOJ, COUNTRY.mexico),
    "partner": (X, TF.partner, DHS, FORCED_LABOR),
    "pillar": (X, TF.pillar, PILLAR.protection, FORCED_LABOR),
    "addresses": (X, TF.addresses, FORCED_LABOR, SECTOR.seafood),
    "sector": (X, TF.sector, SECTOR.seafood, FORCED_LABOR),
    "country": (X, TF.country, COUNTRY.mexico, DOJ),
    "implements": (X, TF.implements, DOCUMENT.nap, DOJ),
    "enforces": (CBP, TF.enforces, TFR["provision/tariff-act-1930-s307"], DOCUMENT.nap),
    "produces": (X, TF.produces, DOCUMENT.strategy, FORCED_LABOR),
    "establishedBy": (PITF, TF.establishedBy, STATUTE.tvpa, FORCED_LABOR),
    "chairedBy": (FLETF, TF.chairedBy, DHS, PITF),
    "memberOf": (DOJ, TF.memberOf, PITF, DHS),
    "advises": (BODY.group, TF.advises, PITF, DOJ),
    "announcedAt": (X, TF.announcedAt, TFR["event/meeting"], DOJ),
    "issuedBy": (DOCUMENT.nap, TF.issuedBy, AGENCY["white-house"], FORCED_LABOR),
    "SubOrganizationOf": (CBP, ORG.subOrganizationOf, DHS, FORCED_LABOR),
    "DerivedFrom": (PITF, PROV.wasDerivedFrom, FS, DOCUMENT.nap),
}


def _range_shape(name: str) -> URIRef:
    return TFSH[name[0].upper() + name[1:] + "Range"]


@pytest.fixture(scope="module")
def valid() -> Graph:
    """The valid graph plus the status scheme, as load_graph() puts it beside any data."""
    return _parse("concepts.ttl").parse(data=VALID, format="turtle")


def _broken(valid: Graph, remove, add) -> Graph:
    graph = Graph()
    for triple in valid:
        graph.add(triple)
    for triple in remove:
        assert triple in graph, f"the valid graph lacks {triple}"
        graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return graph


def test_valid_graph_conforms_without_warnings(valid, shapes, ont_graph):
    report = validate(valid, shapes, ont_graph)
    assert report.conforms, report.text
    assert not report.violations and not report.warnings


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_rejects(valid, shapes, ont_graph, name):
    broken = CASES[name]
    report = validate(_broken(valid, broken.remove, broken.add), shapes, ont_graph)
    assert not report.conforms
    assert report.violations == broken.expected, report.text


@pytest.mark.parametrize("name", sorted(RANGE_CASES))
def test_range_shape_rejects_wrong_class(valid, shapes, ont_graph, name):
    subject, predicate, old, new = RANGE_CASES[name]
    graph = _broken(valid, [(subject, predicate, old)], [(subject, predicate, new)])
    report = validate(graph, shapes, ont_graph)
    assert report.violations == {(subject, _range_shape(name))}, report.text


@pytest.mark.parametrize(
    "value",
    [
        Literal("2021-12-03", datatype=XSD.date),
        Literal("2021-12", datatype=XSD.gYearMonth),
        Literal("2021", datatype=XSD.gYear),
    ],
)
def test_date_precisions_conform(valid, shapes, ont_graph, value):
    old = Literal("2021-12", datatype=XSD.gYearMonth)
    graph = _broken(valid, [(X, TF.date, old)], [(X, TF.date, value)])
    assert validate(graph, shapes, ont_graph).conforms


def test_source_without_url_is_a_warning_only(valid, shapes, ont_graph):
    graph = _broken(valid, [(FS, SCHEMA.url, URIRef("https://www.whitehouse.gov/"))], [])
    report = validate(graph, shapes, ont_graph)
    assert report.conforms and not report.violations
    assert report.warnings == {(FS, TFSH.SourceUrl)}


def test_agency_without_abbreviation_is_a_warning_only(valid, shapes, ont_graph):
    graph = _broken(valid, [(DOJ, SKOS.altLabel, Literal("DOJ"))], [])
    report = validate(graph, shapes, ont_graph)
    assert report.conforms and not report.violations
    assert report.warnings == {(DOJ, TFSH.AbbreviationAltLabel)}


def test_shipped_data_uses_only_declared_tf_terms(ontology, memory_graph):
    """Every tf: class and property the shipped graph uses is declared in tf.ttl."""
    graph = memory_graph
    used = {p for p in graph.predicates() if p in TF}
    used |= {c for c in graph.objects(None, RDF.type) if c in TF}
    declared = {TF[n] for n in CLASSES} | {TF[n] for n in PROPERTIES}
    assert used <= declared, used - declared


def test_shipped_data_keeps_the_domains(ontology, memory_graph):
    """Every subject of a tf: property in the shipped data is typed with a class of the
    property's rdfs:domain, so that a reasoner would infer nothing false from the domains."""
    graph = memory_graph
    misses = []
    for name, spec in PROPERTIES.items():
        if spec.domain is None:
            continue
        for subject in set(graph.subjects(TF[name], None)):
            if not set(graph.objects(subject, RDF.type)) & spec.domain:
                misses.append((name, subject))
    assert not misses


def test_sh_class_follows_subclass_from_ont_graph(valid, shapes, ont_graph):
    """A user's own subclass of tf:Agency is a valid lead; an instance of a user's subclass of
    tf:Initiative is held to the initiative rules. Both only via rdfs:subClassOf (no inference)."""
    bureau = EX.bureau
    lead = [(bureau, RDF.type, EX.Bureau), (bureau, RDFS.label, Literal("A bureau"))]
    graph = _broken(valid, [], [(X, TF.ledBy, bureau), *lead])
    # without the subclass axiom the bureau is not an agency
    assert validate(graph, shapes, ont_graph).violations == {(X, TFSH.LedByRange)}
    graph.add((EX.Bureau, RDFS.subClassOf, TF.Agency))
    report = validate(graph, shapes, ont_graph)
    assert report.conforms, report.text
    # targetClass follows subclasses too: a program with no lead, pillar, status, quote, source
    graph.add((EX.Program, RDFS.subClassOf, TF.Initiative))
    graph.add((EX.p, RDF.type, EX.Program))
    graph.add((EX.p, RDFS.label, Literal("A program")))
    violations = validate(graph, shapes, ont_graph).violations
    assert violations == {
        (EX.p, shape)
        for shape in (
            TFSH.InitiativeLedBy,
            TFSH.InitiativePillar,
            TFSH.InitiativeStatus,
            TFSH.InitiativeQuote,
            TFSH.InitiativeSource,
        )
    }
