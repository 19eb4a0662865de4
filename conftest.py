"""Project-wide pytest settings for the notebooks validated with nbval.

nbval compares every stored output, stderr included. Warnings and library chatter on stderr
are not results: they are left out of the comparison here (the notebooks still must store none;
tests/test_build.py checks that).
"""


def pytest_collectstart(collector):
    """Do not compare stderr streams of notebook cells."""
    if collector.__class__.__name__ == "IPyNbFile":
        collector.skip_compare = (*collector.skip_compare, "stderr")


import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _doctest_tables(doctest_namespace):
    """The names the docstrings' examples use: the shipped tables and the goal read from them.

    A step takes its tables as arguments; its example passes the shipped ones, loaded once
    here (``tables = camlo.load_plan_tables()``, ``goal = camlo.plan_goal(tables.headline,
    tables.targets)``, ``measures = camlo.af_measures(tables.households, tables.deprivations,
    tables.indicators)``).
    """
    import camlo

    tables = camlo.load_plan_tables()
    doctest_namespace["tables"] = tables
    doctest_namespace["goal"] = camlo.plan_goal(tables.headline, tables.targets)
    doctest_namespace["measures"] = camlo.af_measures(tables.households, tables.deprivations, tables.indicators)
