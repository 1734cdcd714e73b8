"""tf-graph: a knowledge graph of the US federal effort against human trafficking."""

__version__ = "0.1.0"
