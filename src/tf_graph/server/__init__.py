"""The local SPARQL endpoint and query page (``tf-graph serve``).

:mod:`.protocol` reads and answers the SPARQL 1.1 Protocol, :mod:`.executor` runs queries in
worker processes with a time and row limit, :mod:`.app` is the Starlette app over both.
"""
