"""Measures: status, Alkire–Foster, bounds, profiles and household records."""
