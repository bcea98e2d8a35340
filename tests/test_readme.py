"""The README works as written: every TOML and Python block runs, and its option list, exit-code
table, required glossary fields and reliability table match the code. Shell (bash) and YAML
blocks are not run: they name files of the reader's own project."""
from __future__ import annotations

import ast
import re
import tomllib

import pytest

import cleanmt
from cleanmt import cli
from cleanmt.config import KEYS as CONFIG_KEYS

from .conftest import ROOT, write

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
BLOCKS = [(m.group(1), m.group(2), README.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(README)]
RUN = ("toml", "python")
NOT_RUN = ("bash", "yaml", "")  # shell commands, a pre-commit config, program output


def _blocks(lang):
    return [pytest.param(body, id=f"line-{line}") for kind, body, line in BLOCKS if kind == lang]


def _is_glossary(data: dict) -> bool:
    return bool({"glossary", "term", "pattern", "block"} & set(data))


def _glossary_blocks():
    return [body for kind, body, _ in BLOCKS if kind == "toml" and _is_glossary(tomllib.loads(body))]


def test_every_block_is_run_or_known_not_to_be():
    kinds = [kind for kind, _, _ in BLOCKS]
    assert set(kinds) <= set(RUN + NOT_RUN)
    assert kinds.count("toml") >= 2 and kinds.count("python") >= 1


@pytest.mark.parametrize("body", _blocks("toml"))
def test_toml_block_works_as_written(tmp_path, capsys, body):
    data = tomllib.loads(body)
    if _is_glossary(data):
        path = write(tmp_path, "meu.toml", body)
        g = cleanmt.load_glossary(path)
        assert g.entries
        # with the bundled set: ids must not collide, and every example and keep-case is run
        c = cleanmt.Cleaner(extra=[path])
        for e in g.entries:
            for before, after in e.examples:
                trigger = " ".join(g.trigger[:1])
                assert c.clean(f"{trigger}. {before}").text == f"{trigger}. {after}"
        return
    # a configuration: keys at the top level or in [tool.cleanmt]; its glossary files are the
    # README's own glossary example, so that the whole configuration is used for real
    table = data.get("tool", {}).get("cleanmt", data)
    assert set(table) <= set(CONFIG_KEYS)
    cfg = write(tmp_path, "pyproject.toml" if "tool" in data else ".cleanmt.toml", body)
    for g in table.get("glossaries", []):
        (tmp_path / g).parent.mkdir(parents=True, exist_ok=True)
        write(tmp_path, g, _glossary_blocks()[0])
    doc = write(tmp_path, "a.md", "A Xiaomi e o novo painço , hoje.\n")
    assert cli.main(["fix", "-q", "--config", str(cfg), str(doc)]) == cli.EXIT_CHANGES, capsys.readouterr().err


@pytest.mark.parametrize("body", _blocks("python"))
def test_python_block_runs(body):
    exec(compile(body, "README.md", "exec"), {"__name__": "__main__"})  # as a script runs it


# -- the README's lists and tables match the code --------------------------------------------------

def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def _subparsers():
    parser = cli._parser()
    return next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices


def test_every_option_is_in_the_readme_and_every_option_there_exists():
    options = {o for p in _subparsers().values() for a in p._actions for o in a.option_strings} - {"-h", "--help"}
    missing = sorted(o for o in options if not re.search(rf"`{re.escape(o)}\b", README)
                     and not re.search(rf"cleanmt [^\n]*{re.escape(o)}\b", README))
    assert missing == []
    text = _section("The command line") + _section("Scoring against a reference")
    unknown = sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text)) - options - {"--help"})
    assert unknown == []


def test_exit_code_table_matches_the_code():
    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", _section("The command line"), re.M))
    codes = {v for k, v in vars(cli).items() if k.startswith("EXIT_")}
    assert {int(k) for k in table} == codes


def test_required_glossary_fields_are_the_ones_the_loader_requires(tmp_path):
    listed = dict(re.findall(r"^- `\[\[(\w+)\]\]`[^:]*: (.+)$", _section("Writing a glossary entry"), re.M))
    assert set(listed) == {"term", "pattern", "block"}
    minimal = {
        "term": {"id": "x-t", "wrong": "aaa", "right": "bbb", "note": "n", "examples": [["aaa", "bbb"]],
                 "keep": ["ccc"]},
        "pattern": {"id": "x-p", "pattern": "aaa", "replace": "bbb", "note": "n", "examples": [["aaa", "bbb"]],
                    "keep": ["ccc"]},
        "block": {"id": "x-b", "lines": ["Compartilhar", "Curtir"], "anchor": ["Compartilhar"], "note": "n",
                  "examples": [["texto\n\nCompartilhar\nCurtir\n", "texto\n"]], "keep": ["ccc"]},
    }

    def toml(kind, entry):
        body = "\n".join(f"{k} = {_toml_value(v)}" for k, v in entry.items())
        return write(tmp_path, f"{kind}.toml", f"[[{kind}]]\n{body}\n")

    for kind, fields in listed.items():
        required = re.findall(r"`([\w-]+)`", fields)
        assert sorted(required) == sorted(minimal[kind]), kind  # the minimal entry is exactly these
        cleanmt.load_glossary(toml(kind, minimal[kind]))  # and nothing else is needed
        for key in required:
            entry = {k: v for k, v in minimal[kind].items() if k != key}
            with pytest.raises(cleanmt.GlossaryError) as err:
                cleanmt.load_glossary(toml(kind, entry))
            assert err.value.field == key, (kind, key, str(err.value))


def _toml_value(v) -> str:
    import json

    return json.dumps(v, ensure_ascii=False)  # JSON strings and arrays are TOML too


def test_reliability_table_names_tests_that_exist():
    rows = re.findall(r"^\| [^|]+ \| [^|]+ \| (.+) \|$", _section("Reliability"), re.M)[2:]  # after header
    assert len(rows) > 20
    wrong = []
    for cell in rows:
        current = None
        for ref in re.findall(r"`([^`]+)`", cell):
            file, _, name = ref.partition("::")
            current = file or current
            if not name:
                continue  # a whole file (test_properties.py)
            tree = ast.parse((ROOT / "tests" / current).read_text(encoding="utf-8"))
            if name not in {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}:
                wrong.append(f"{current}::{name}")
    assert wrong == []
