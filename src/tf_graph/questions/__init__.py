"""Questions: the query catalogue, name resolution, ask, results and profiles."""
