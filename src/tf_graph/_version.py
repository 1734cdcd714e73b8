"""The version of tf-graph (its own module: modules inside the package import it from here, never
from the package itself, whose ``__init__`` re-exports the library face)."""

__version__ = "0.1.0"
