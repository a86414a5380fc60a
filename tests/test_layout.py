"""The tree shows the architecture (docs/ARCHITECTURE.md): packages by job, layers that import
only downwards, no import circles, and no folder of modules that share a first word (a family
that should be a package). Imports inside functions count: a lazy import is still an edge."""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("etl", "analysis", "userdata", "figures", "exports", "bargain_cli", "app_pages")

# The layers, bottom first; a module may import its own layer and the layers below it.
ETL_FOUNDATION = {
    "agency_names",
    "cells",
    "citations",
    "columns",
    "curated",
    "defaults",
    "errors",
    "labels",
    "pay",
    "pay_calendar",
    "rawtext",
    "records",
    "registry",
    "rounding",
    "stated_dates",
    "time_off",
    "vocabulary_words",
}
ETL_BUILD = {"etl.parse", "etl.imported", "etl.freshness", "etl.build"}
LAYERS = [
    "etl foundation",
    "etl readers (sources, uploads, gcc, schedule_import)",
    "etl build",
    "analysis",
    "userdata",
    "outputs (figures, exports)",
    "front ends (bargain_cli, app_pages, app.py)",
]


def layer(module: str) -> int:
    top, _, rest = module.partition(".")
    if top == "etl":
        if module == "etl" or rest.split(".")[0] in ETL_FOUNDATION:
            return 0
        return 2 if module in ETL_BUILD else 1
    return {
        "analysis": 3,
        "userdata": 4,
        "figures": 5,
        "exports": 5,
        "bargain_cli": 6,
        "app_pages": 6,
        "app": 6,
    }[top]


def modules() -> dict[str, Path]:
    out = {"app": ROOT / "app.py"}
    for pkg in PACKAGES:
        for p in (ROOT / pkg).rglob("*.py"):
            rel = p.relative_to(ROOT).with_suffix("")
            name = ".".join(rel.parts)
            out[name.removesuffix(".__init__")] = p
    return out


def _target(name: str, mods: dict[str, Path]) -> str | None:
    while name and name not in mods:
        name = name.rpartition(".")[0]
    return name or None


def imports() -> dict[str, set[str]]:
    """module -> the project modules it imports (a `from pkg import mod` names the module)."""
    mods = modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in mods else node.module
                    for a in node.names
                ]
            else:
                continue
            for f in found:
                t = _target(f, mods)
                if t and t != name:
                    edges[name].add(t)
    return edges


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for w in edges.get(todo.pop(), ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (each module's
    reachable set; a few hundred modules, so quadratic is fine)."""
    reach = {v: reachable(edges, v) for v in edges}
    groups = {
        frozenset({v} | {w for w in reach[v] if v in reach.get(w, ())})
        for v in edges
        if v in reach[v]
    }
    return sorted(sorted(g) for g in groups)


def test_no_import_circles():
    assert circles(imports()) == []


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_a_layer_above_its_own():
    upward = [
        f"{a} ({LAYERS[layer(a)]}) imports {b} ({LAYERS[layer(b)]})"
        for a, bs in imports().items()
        for b in bs
        if layer(b) > layer(a)
    ]
    assert upward == []


def test_etl_and_analysis_never_import_streamlit_or_user_data():
    bad = []
    for name, path in modules().items():
        if layer(name) > 3:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from) (streamlit|userdata)\b", text, re.M):
            bad.append(name)
    assert bad == []


@pytest.mark.parametrize("pkg", PACKAGES)
def test_no_folder_holds_a_family_of_modules_sharing_a_first_word(pkg):
    for folder in [ROOT / pkg, *[p for p in (ROOT / pkg).rglob("*") if p.is_dir()]]:
        words = Counter(p.stem.split("_")[0] for p in folder.glob("*.py") if p.stem != "__init__")
        families = {w: n for w, n in words.items() if n >= 3}
        assert families == {}, f"{folder.relative_to(ROOT)}: {families}"


def test_every_package_says_what_it_owns():
    for init in [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("__init__.py")]:
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{init.relative_to(ROOT)} has no docstring"


def test_the_readme_module_map_matches_the_tree():
    """Every package folder is named in README's module map, and every path the map names
    exists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where the code lives", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*/?(?:\.py)?)`", section))
    for path in named:
        if "/" in path:
            assert (ROOT / path.rstrip("/")).exists(), f"README names {path}, not in the tree"
    folders = {
        str(p.parent.relative_to(ROOT))
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("__init__.py")
    }
    missing = sorted(f for f in folders if f"{f}/" not in named and f not in named)
    assert missing == [], f"README's module map does not name {missing}"
