"""``make bench`` reports its figures as figures, not as a pass mark it did not check (issue 10)."""

import re

import bench


def test_rate_line_reads_as_a_figure_not_a_failed_target():
    line = bench.rate_line("veeam", "GET", "api/v3/organizations/companies", 164.4)
    assert line.startswith("veeam  GET api/v3/organizations/companies: 164 sequential requests/s over HTTPS")
    assert not re.search(r"target|>=|<|pass|fail|ok\b", line, re.I), line
    assert "figure to watch" in line and "lower" in line


def test_bench_runs_each_simulator_and_prints_one_line_each(monkeypatch, capsys):
    monkeypatch.setattr(bench, "COUNT", 5)
    bench.main()
    lines = capsys.readouterr().out.splitlines()
    rates = [line for line in lines if "sequential requests/s" in line]
    assert [line.split()[0] for line in rates] == ["ahsay", "veeam", "aaa"], lines
    assert not any(re.search(r"target|>=", line) for line in lines), lines
