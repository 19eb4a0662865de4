"""Measures: status, Alkire–Foster from counts and from household records, bounds, profiles."""
