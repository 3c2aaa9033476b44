"""The solo/multi comparison (`kinerja.demo.bench.banding`): medians over rounds, ratios, the 20 % line."""

from kinerja.demo.bench.banding import ringkas, tabel


def _ukur(cpu: float, wall: float, queries: int = 10) -> dict[str, float | int]:
    return {"cpu_ms": cpu, "wall_ms": wall, "queries": queries}


def test_median_over_rounds_ratio_and_20_percent_line() -> None:
    putaran = [
        {"solo": {"a/dashboard": _ukur(10, 20)}, "multi": {"a/dashboard": _ukur(11, 23)}},
        {"solo": {"a/dashboard": _ukur(12, 20)}, "multi": {"a/dashboard": _ukur(100, 100, 11)}},
        {"solo": {"a/dashboard": _ukur(11, 21)}, "multi": {"a/dashboard": _ukur(12, 25)}},
    ]
    [row] = ringkas(putaran, ("solo", "multi"))
    assert row["solo"] == {"cpu_ms": 11, "wall_ms": 20, "queries": 10}
    assert row["multi"] == {"cpu_ms": 12, "wall_ms": 25, "queries": 11}  # the median, the largest count
    assert (row["cpu_ratio"], row["wall_ratio"], row["within_20pct"]) == (1.09, 1.25, False)
    assert tabel([row], ("solo", "multi"))[1].endswith("10/11  NO")


def test_within_20_percent() -> None:
    putaran = [{"solo": {"x": _ukur(10, 100)}, "multi": {"x": _ukur(10, 120)}}]
    assert ringkas(putaran, ("solo", "multi"))[0]["within_20pct"] is True
