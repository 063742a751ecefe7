"""``make bench`` reports its figures as figures, not as a pass mark it did not check (issue 10)."""

import re

import bench


def test_rate_line_reads_as_a_figure_not_a_failed_target():
    line = bench.rate_line("veeam", "GET", "api/v3/organizations/companies", 164.4)
    assert line.startswith("veeam  GET api/v3/organizations/companies: 164 sequential requests/s over HTTPS")
    assert not re.search(r"target|>=|<|pass|fail|ok\b", line, re.I), line
    assert "figure to watch" in line and "lower" in line


def test_review_line_reads_as_a_figure_with_its_steps():
    durations = {"AhsayCBS | Read the backup users": 4.0, "AhsayCBS | Read the system users": 0.5,
                 "VSPC | Read the portal users": 2.0, "Unified Assurance | Read the users": 3.0,
                 "Correlate the accounts into people and judge them": 5.0, "Write the report files": 1.5}
    line = bench.review_line(10000, 17.2, durations, {"accounts": 30003, "people": 30001, "findings": 40000}, 12.0)
    assert line.startswith("access_review: 10000 accounts a platform (30003 accounts, 30001 people, 40000 findings) "
                           "reviewed in 17.2 s: AhsayCBS backup users 4.0 s, AhsayCBS system users 0.5 s, VSPC users 2.0 s,")
    assert "correlation and rendering 5.0 s, writing the files 1.5 s" in line
    assert "figure to watch" in line and not re.search(r"target|>=|pass|fail|ok\b", line, re.I), line


def test_bench_runs_each_simulator_and_prints_one_line_each(monkeypatch, capsys):
    monkeypatch.setattr(bench, "COUNT", 5)
    monkeypatch.setattr(bench, "REVIEW_ACCOUNTS", 0)  # make bench runs the review (minutes); this test need not
    bench.main()
    lines = capsys.readouterr().out.splitlines()
    rates = [line for line in lines if "sequential requests/s" in line]
    assert [line.split()[0] for line in rates] == ["ahsay", "veeam", "aaa"], lines
    assert not any(re.search(r"target|>=", line) for line in lines), lines
