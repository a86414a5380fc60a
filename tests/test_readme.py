"""The README opens with the two commands, and CI runs the README's test command verbatim."""

from pathlib import Path

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
