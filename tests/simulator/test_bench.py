"""``make bench`` reports its figures as figures, not as a pass mark it did not check (issue 10), and the
pieces of ``benchkit`` that ``make bench-bulk`` is made of work on a few accounts (issue 12)."""

import io
import re

import pytest

import bench
import benchkit


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
    bench.main([])
    lines = capsys.readouterr().out.splitlines()
    rates = [line for line in lines if "sequential requests/s" in line]
    assert [line.split()[0] for line in rates] == ["ahsay", "veeam", "aaa"], lines
    assert not any(re.search(r"target|>=", line) for line in lines), lines


# ---------------------------------------------------------------- benchkit (issue 12): small runs of each piece

@pytest.fixture()
def kit(http, sims, tmp_path):
    """benchkit on the session's simulators (reset by ``http``), its files under ``tmp_path``."""
    kit_sims = benchkit.Simulators(str(tmp_path), info=sims)
    yield kit_sims
    kit_sims.stop()


def test_seed_and_raw_read_of_each_kind(kit):
    expected = {"ahsay_users": 20, "ahsay_sysusers": 21, "veeam_users": 21, "aaa_users": 21}  # + the seed data's own
    for kind, count in expected.items():
        seeded = benchkit.seed_accounts(kit, kind, 20)
        assert seeded.label == "seed 20 %s (POST /_sim/seed)" % kind and seeded.wall >= 0
        raw = benchkit.raw_read(kit, kind)
        assert raw.note == "%d accounts" % count and raw.writes == 0, raw
        assert raw.reads == {"veeam_users": 2, "aaa_users": 1}.get(kind, 1), raw  # a VSPC token, then one page
    with pytest.raises(ValueError, match="unknown kind"):
        benchkit.seed_accounts(kit, "nonsense", 1)


def test_run_task_reports_wall_requests_and_module_memory(kit):
    benchkit.seed_accounts(kit, "ahsay_users", 30, prefix="kit")
    empty = benchkit.empty_playbook(kit)
    assert empty.rc == 0 and empty.reads is None and empty.rss_mb is None, empty.output
    info = benchkit.run_task(kit, "msp.accounts.ahsay_user_info", {"search": "kit"})
    assert info.rc == 0, info.output
    assert (info.reads, info.writes) == (1, 0)  # one ListUsers
    assert 10 < info.rss_mb < 1000 and info.module_wall > 0 and info.cpu > 0 and info.wall > info.module_wall
    # Writes, with a long argument passed through a file lookup (the default) and through a vars file.
    created = benchkit.run_task(kit, "msp.accounts.aaa_user_profile", {
        "name": "kit-user", "full_name": "Kit User " + "x" * 3000, "user_group": "Operators", "password": "Kit-User-Pass-2026!"})
    assert created.rc == 0, created.output
    assert created.writes == 1 and created.reads >= 1
    from_vars = benchkit.run_task(kit, "msp.accounts.aaa_user_profile", {
        "name": "kit-user-2", "full_name": "Kit User " + "y" * 3000, "user_group": "Operators", "password": "Kit-User-Pass-2026!"},
        large_args="vars_files")
    assert from_vars.rc == 0 and from_vars.writes == 1, from_vars.output
    table = benchkit.format_table([empty, info, created], title="kit")
    assert table.splitlines()[0] == "kit" and "ahsay_user_info" in table and "aaa_user_profile" in table
    assert not re.search(r"target|pass|fail", table, re.I), table


def test_floor_task_is_a_module_doing_nothing_with_what_it_is_given(kit):
    users = [{"name": "floor%04d" % n, "status": "enabled"} for n in range(200)]  # long: passed through a file
    given = benchkit.floor_task(kit, "floor, given", users=users)
    assert given.rc == 0 and (given.reads, given.writes) == (0, 0) and given.module_wall > 0, given.output
    returned = benchkit.floor_task(kit, "floor, returning", result=users)
    assert returned.rc == 0 and returned.label == "floor, returning" and returned.module_wall > 0, returned.output
    benchkit.seed_accounts(kit, "ahsay_users", 3, prefix="raw")
    kept = benchkit.raw_read(kit, "ahsay_users", keep=True)
    assert len(kept.data) == 3 and kept.note == "%d accounts" % len(kept.data) and all("LoginName" in user for user in kept.data)
    names = [user["LoginName"] for user in kept.data[:3]]
    writes = benchkit.raw_updates(kit, names, "SUSPENDED", parallel=2)
    assert (writes.reads, writes.writes) == (0, 3) and writes.label == "raw writes: 3 UpdateUser, 2 threads"
    after = benchkit.raw_read(kit, "ahsay_users", keep=True).data
    assert sorted(u["LoginName"] for u in after if u.get("Status") == "SUSPENDED") == sorted(names)


def test_a_failed_task_keeps_its_output(kit):
    failed = benchkit.run_task(kit, "msp.accounts.veeam_user_info", {"organization": "No Such Company"})
    assert failed.rc != 0 and "No Such Company" in failed.output and failed.note.startswith("FAILED")


@pytest.mark.parametrize("platform, method, path, read", [
    ("ahsay", "POST", "/obs/api/json/2/ListUsers.do", True),
    ("ahsay", "POST", "/obs/api/json/GetUser.do", True),
    ("ahsay", "POST", "/obs/api/json/AuthSystemUser.do", True),
    ("ahsay", "POST", "/obs/api/json/2/UpdateUser.do", False),
    ("ahsay", "POST", "/obs/api/json/ModifyUserStatus.do", False),
    ("veeam", "POST", "/api/v3/token", True),
    ("veeam", "GET", "/api/v3/users", True),
    ("veeam", "PATCH", "/api/v3/users/x", False),
    ("aaa", "GET", "/api/AAA/Users", True),
    ("aaa", "PUT", "/api/AAA/Users/5", False),
])
def test_reads_and_writes_are_told_apart(platform, method, path, read):
    assert benchkit.is_read(platform, method, path) is read


def test_bulk_prints_one_row_per_info_module_beside_its_floors(tmp_path):
    out = io.StringIO()
    rows = bench.bulk(count=5, workdir=str(tmp_path), kinds=["ahsay_sysusers"], out=out)
    assert [row.rc for row in rows] == [0, 0, 0, 0, 0]
    text = out.getvalue()
    assert "empty playbook" in text and "raw read: AhsayCBS system users" in text and "ahsay_sysuser_info (5 accounts)" in text
    assert "Ansible floor: a module returning those 6 as read" in text
    assert "x raw read" in text and "wall - Ansible floor" in text and not re.search(r"target|>=", text), text


def test_run_task_takes_a_loop(kit):
    benchkit.seed_accounts(kit, "ahsay_users", 3, prefix="loop")
    looped = benchkit.run_task(kit, "msp.accounts.ahsay_user_info", {"name": "{{ item }}"},
                               task_options={"loop": ["loop00000", "loop00001", "loop00002"]})
    assert looped.rc == 0, looped.output
    assert (looped.reads, looped.writes) == (3, 0) and looped.module_cpu > 0  # one GetUser per item
