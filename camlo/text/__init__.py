"""Everything a reader sees as text, in English and Vietnamese, depending on nothing in the pipeline.

- :mod:`camlo.text.numbers`: exact rates, their rounding, and how each language prints numbers;
- :mod:`camlo.text.labels`: every label (units, indicators, measures, axis titles) from
  ``labels.csv`` and the reference tables of units and indicators;
- :mod:`camlo.text.sentences`: every computed sentence as a template with named values, from
  ``sentences.csv`` (one row per sentence: its key, English, Vietnamese).

These modules import only the standard library and :mod:`camlo.constants`, :mod:`camlo.paths`
and :mod:`camlo.errors`, so that every stage can use them (``tests/test_imports.py`` checks).
"""
