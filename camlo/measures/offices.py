"""Who must act: section VII's offices, the indicators each leads on, and their workload.

Each function takes the counts (:func:`camlo.unit_counts`) and the indicator table
(:func:`camlo.indicators`, which names each indicator's office), then its parameters, and
returns a new table.
"""

from __future__ import annotations

import pandas as pd

from camlo.constants import DISTRICT
from camlo.text.numbers import LANGS
from camlo.measures.af import unit_counts
from camlo.measures.bounds import union_bounds


def _units(counts: pd.DataFrame) -> list[str]:
    """The units' printed names, in printed order (without the district)."""
    return [u for u in counts.index if u != DISTRICT]


def offices(indicators: pd.DataFrame) -> pd.DataFrame:
    """Section VII's offices and the indicators each leads on, one row per office and indicator.

    ``indicators()`` names one or two offices per indicator (separated by ``"; "``); an
    indicator with two (employment) is listed under both.

    Columns ``office_en``, ``office_vi``, ``indicator``, ``shared`` (True when the indicator
    has more than one office). Offices appear in the order they are first named.

    Examples:
        >>> o = offices(tables.indicators)
        >>> o.loc[o["indicator"] == 1, "office_en"].tolist()
        ['Labour, Invalids and Social Affairs', 'Agriculture and Rural Development']
    """
    rows = []
    for row in indicators.itertuples():
        names_en = row.office_en.split("; ")
        names_vi = row.office_vi.split("; ")
        if len(names_en) != len(names_vi):
            raise ValueError(f"indicator {row.indicator}: office_en names {len(names_en)} offices, "
                             f"office_vi {len(names_vi)}")
        for en, vi in zip(names_en, names_vi):
            rows.append((en, vi, int(row.indicator), len(names_en) > 1))
    return pd.DataFrame(rows, columns=["office_en", "office_vi", "indicator", "shared"])


def office_label(indicators: pd.DataFrame, office_en: str, *, lang: str = "en") -> str:
    """An office's name in ``lang``, from the indicator table's office columns (see :func:`offices`).

    Examples:
        >>> office_label(tables.indicators, "Education and Training", lang="vi")
        'Phòng Giáo dục và Đào tạo'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    table = offices(indicators)
    match = table[table["office_en"] == office_en]
    if match.empty:
        raise KeyError(f"no office {office_en!r}")
    return office_en if lang == "en" else match["office_vi"].iloc[0]


def targeting_table(counts: pd.DataFrame, indicators: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The unit x indicator cells with the most deprived poor households, and who acts.

    Columns ``unit``, ``indicator``, ``indicator_en``, ``deprived`` (poor households),
    ``poor``, ``dep_rate`` (their share), ``office_en`` and ``office_vi`` (section VII's
    office(s), as in ``indicators()``). Sorted by ``deprived`` (descending), then printed
    order, then indicator.

    Examples:
        >>> from camlo import unit_counts
        >>> counts = unit_counts(tables.households, tables.deprivations)
        >>> targeting_table(counts, tables.indicators, top=3)[["unit", "indicator", "deprived"]].values.tolist()
        [['Thanh An', 11, 82], ['Cam Tuyên', 10, 75], ['Thanh An', 4, 70]]
    """
    counts = counts.drop(index=DISTRICT)
    ind = indicators.set_index("indicator")
    names = list(counts.index)
    rows = []
    for unit in names:
        for j in ind.index:
            rows.append((unit, int(j), ind.loc[j, "name_en"], int(counts.loc[unit, j]), int(counts.loc[unit, "q"]),
                         counts.loc[unit, j] / counts.loc[unit, "q"], ind.loc[j, "office_en"],
                         ind.loc[j, "office_vi"]))
    table = pd.DataFrame(rows, columns=["unit", "indicator", "indicator_en", "deprived", "poor", "dep_rate",
                                        "office_en", "office_vi"])
    table["_order"] = table["unit"].map(names.index)
    table = table.sort_values(["deprived", "_order", "indicator"], ascending=[False, True, True], kind="stable")
    return table.drop(columns="_order").head(top).reset_index(drop=True)


def office_workload(counts: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Households each office must reach, per unit and for the district.

    For each office and unit: ``deprivations``, the sum over the office's indicators of poor
    households deprived (household-deprivations: a household deprived in two of the office's
    indicators counts twice, so this is an upper bound on distinct households), and the
    bounds on distinct households, ``distinct_min`` (the largest of those counts) and
    ``distinct_max`` (their sum, capped at the unit's poor households); see
    :func:`camlo.measures.bounds.union_bounds`. The district's rows are sums over units.

    Examples:
        >>> from camlo import unit_counts
        >>> w = office_workload(unit_counts(tables.households, tables.deprivations), tables.indicators)
        >>> w.query("office_en == 'Economy and Infrastructure' and unit == 'Cam Tuyên'")[
        ...     ["deprivations", "distinct_min", "distinct_max"]].values.tolist()
        [[130, 75, 109]]
    """
    table = offices(indicators)
    office_names = list(dict.fromkeys(table["office_en"]))
    rows = []
    for office in office_names:
        js = table.loc[table["office_en"] == office, "indicator"].tolist()
        vi = table.loc[table["office_en"] == office, "office_vi"].iloc[0]
        for unit in _units(counts):
            d = [int(counts.loc[unit, j]) for j in js]
            lo, hi = union_bounds(d, int(counts.loc[unit, "q"]))
            rows.append((office, vi, ", ".join(map(str, js)), unit, sum(d), lo, hi))
    out = pd.DataFrame(rows, columns=["office_en", "office_vi", "indicators", "unit", "deprivations",
                                      "distinct_min", "distinct_max"])
    district = out.groupby(["office_en", "office_vi", "indicators"], as_index=False, sort=False)[
        ["deprivations", "distinct_min", "distinct_max"]].sum()
    district.insert(3, "unit", DISTRICT)
    return pd.concat([out, district], ignore_index=True)


def office_workload_matrix(counts: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Household-deprivations per office (rows, section VII order) and unit (columns)."""
    w = office_workload(counts, indicators)
    w = w[w["unit"] != DISTRICT]
    matrix = w.pivot(index="office_en", columns="unit", values="deprivations")
    return matrix.loc[list(dict.fromkeys(w["office_en"])), _units(counts)]
