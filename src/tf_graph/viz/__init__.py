"""Visualisation: the offline network page and static pictures."""
