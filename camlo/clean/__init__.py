"""Raw → clean: read, parse, validate, resolve units, reconcile."""
