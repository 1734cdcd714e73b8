"""Engines: where SPARQL runs (the Oxigraph index, rdflib in memory, a remote endpoint)."""
