"""The README opens with the two commands, and CI runs the README's test command verbatim."""

import json
import shlex
from pathlib import Path

import pytest

from analysis.scenario import parse_scenario

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands():
    text = (ROOT / "README.md").read_text()
    before = text.split("```bash", 1)[0].strip().splitlines()
    assert len(before) == 1 and before[0].startswith("# "), "only a title precedes the commands"
    cmds = _readme_commands()
    assert len(cmds) == 2
    assert "streamlit run app.py" in cmds[0] and "pip install" in cmds[0]
    assert "pytest" in cmds[1] and "pip install" in cmds[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _readme_commands()[1] in ci


# Every example of the README runs --------------------------------------------------------------


def _blocks(lang: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    return [b.split("```", 1)[0] for b in text.split(f"```{lang}\n")[1:]]


def _examples() -> list[str]:
    """The bargain command lines of the README's bash blocks (the first block is setup)."""
    lines = [ln.strip() for b in _blocks("bash")[1:] for ln in b.splitlines()]
    return [ln for ln in lines if ln.startswith("bargain ")]


def test_the_readme_has_examples_of_every_command():
    import bargain_cli

    commands = set(bargain_cli.make_parser()._subparsers._group_actions[0].choices)
    shown = {shlex.split(ln)[1] for ln in _examples()}
    assert commands <= shown, f"commands without a README example: {sorted(commands - shown)}"


@pytest.mark.parametrize("line", _examples())
def test_every_readme_command_runs(line, warehouse, tmp_path, monkeypatch, capsys):
    import shutil

    import bargain_cli

    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    monkeypatch.setenv("BARGAIN_DB", str(db))
    monkeypatch.setenv("BARGAIN_USER_DB", str(tmp_path / "user.sqlite"))
    monkeypatch.chdir(ROOT)
    # a folder the example writes goes to this test's own folder instead
    line = line.replace(" /tmp/", f" {tmp_path}/")
    rc = bargain_cli.main(shlex.split(line)[1:])
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert out.out.strip(), "the command printed nothing"
    if "--format json" in line:
        assert json.loads(out.out)["rows"]


def test_every_readme_json_example_is_a_scenario_that_costs(con):
    from analysis.costing import engine as costing
    from analysis.roster.reader import illustrative_roster, valid_positions

    blocks = _blocks("json")
    assert blocks
    for block in blocks:
        scenario = parse_scenario(block)
        result = costing.cost(con, illustrative_roster(valid_positions(con)), scenario)
        assert result.cumulative_increment > 0
    # the file the cost example reads holds the same scenario
    example = (ROOT / "docs" / "examples" / "minimal_scenario.json").read_text()
    assert json.loads(example) == json.loads(blocks[0])
