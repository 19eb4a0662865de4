"""Project-wide pytest settings for the notebooks validated with nbval.

nbval compares every stored output, stderr included. Warnings and library chatter on stderr
are not results: they are left out of the comparison here (the notebooks still must store none;
tests/test_build.py checks that).
"""


def pytest_collectstart(collector):
    """Do not compare stderr streams of notebook cells."""
    if collector.__class__.__name__ == "IPyNbFile":
        collector.skip_compare = (*collector.skip_compare, "stderr")
