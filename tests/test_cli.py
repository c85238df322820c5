"""The ``ipeco`` command line as a user runs it, on real stores.

Most calls run the click group in this process (:mod:`tests.cli_support`); the installed ``ipeco``
entry point itself, its exit codes and a second process's hash seed are proven by the few tests
that start a real process (:func:`ipeco_process`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.neo4j_store import Neo4jStore
from graph.schema import REL_SPECS, ROLE_LABELS
from tests import cli_support
from tests.cli_support import CliResult

#: The console script pip installed (``[project.scripts]``), beside the test interpreter.
ENTRY_POINT = Path(sys.executable).with_name("ipeco")


def ipeco(env: dict[str, str], *args: str, check: bool = True) -> CliResult:
    result = cli_support.ipeco(*args, env=env)
    if check and result.returncode != 0:
        pytest.fail(f"ipeco {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def ipeco_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``ipeco ARGS`` through the installed entry point, in a process of its own."""
    return subprocess.run([str(ENTRY_POINT), *args], capture_output=True, text=True, env=env, check=False)


def test_the_installed_entry_point_runs_and_exits_0(cli_env: dict[str, str]) -> None:
    done = ipeco_process(cli_env, "--help")
    assert done.returncode == 0 and "Usage: ipeco" in done.stdout and done.stderr == ""
    assert ipeco_process(cli_env, "schema").stdout == ipeco(cli_env, "schema").stdout


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["db"],
        ["db", "start"],
        ["db", "stop"],
        ["db", "status"],
        ["db", "logs"],
        ["seed"],
        ["audit"],
        ["stats"],
        ["load"],
        ["template"],
        ["serve"],
        ["schema"],
        ["analyze"],
        ["compare"],
        ["recommend"],
        ["export"],
        ["report"],
    ],
)
def test_every_command_has_help(cli_env: dict[str, str], command: list[str]) -> None:
    out = ipeco(cli_env, *command, "--help").stdout
    assert "Usage:" in out and "--help" in out


def test_seed_stats_match_between_stores(neo4j_cli_env: dict[str, str], neo4j_store: Neo4jStore) -> None:
    cli_env = neo4j_cli_env
    """`ipeco --store neo4j stats --json` prints exactly what the embedded store prints."""
    ipeco(cli_env, "seed")
    ipeco(cli_env, "--store", "neo4j", "seed")
    embedded = json.loads(ipeco(cli_env, "stats", "--json").stdout)
    neo4j = json.loads(ipeco(cli_env, "--store", "neo4j", "stats", "--json").stdout)
    assert embedded == neo4j
    assert set(embedded) == {"total_nodes", "total_relationships", "nodes_by_label", "relationships_by_type"}
    assert embedded["total_nodes"] > 0 and set(embedded["relationships_by_type"]) <= set(REL_SPECS)
    for region in ("aomori", "ishikawa", "kobe"):
        for flag in ([], ["--real-only"]):
            args = ("stats", "--region", region, *flag, "--json")
            assert json.loads(ipeco(cli_env, *args).stdout) == json.loads(
                ipeco(cli_env, "--store", "neo4j", *args).stdout
            )
        regional = json.loads(ipeco(cli_env, "stats", "--region", region, "--json").stdout)
        assert set(ROLE_LABELS) <= set(regional["nodes_by_label"]), region


def test_seeding_twice_changes_no_count(neo4j_cli_env: dict[str, str], neo4j_store: Neo4jStore) -> None:
    cli_env = neo4j_cli_env
    for store in ("embedded", "neo4j"):
        first = json.loads(ipeco(cli_env, "--store", store, "seed", "--json").stdout)
        before = ipeco(cli_env, "--store", store, "stats", "--json").stdout
        second = json.loads(ipeco(cli_env, "--store", store, "seed", "--json").stdout)
        assert ipeco(cli_env, "--store", store, "stats", "--json").stdout == before
        assert second["nodes_created"] == second["nodes_updated"] == 0
        assert second["relationships_created"] == second["relationships_updated"] == 0
        assert second["nodes_unchanged"] == first["nodes_created"] + first["nodes_updated"] + first["nodes_unchanged"]


def test_seed_is_real_and_the_demo_layer_is_opt_in(cli_env: dict[str, str]) -> None:
    ipeco(cli_env, "seed")
    assert json.loads(ipeco(cli_env, "stats", "--json").stdout) == json.loads(
        ipeco(cli_env, "stats", "--real-only", "--json").stdout
    )
    ipeco(cli_env, "seed", "--demo")
    everything = json.loads(ipeco(cli_env, "stats", "--json").stdout)
    real = json.loads(ipeco(cli_env, "stats", "--real-only", "--json").stdout)
    assert 0 < real["total_nodes"] < everything["total_nodes"]


def test_unreachable_neo4j_is_one_clear_sentence(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": "secret"}
    result = ipeco_process(env, "--store", "neo4j", "stats")  # a user error: exit 1 from the real process
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:1")
    assert "Traceback" not in result.stderr


def test_unknown_region_is_one_clear_sentence(cli_env: dict[str, str]) -> None:
    ipeco(cli_env, "seed", "--no-synthetic")
    result = ipeco(cli_env, "stats", "--region", "atlantis", check=False)
    assert result.returncode == 1
    assert "unknown region 'atlantis'; known regions:" in result.stderr and "Traceback" not in result.stderr


def test_schema_docs_are_generated_from_the_schema(cli_env: dict[str, str]) -> None:
    page = Path(__file__).resolve().parent.parent / "docs" / "schema.md"
    assert page.read_text() == ipeco(cli_env, "schema").stdout, "run `make schema-docs`"


def test_analytics_do_not_depend_on_string_hashing(cli_env: dict[str, str]) -> None:
    """Seeded analytics give byte-identical JSON in processes with different PYTHONHASHSEED."""
    ipeco(cli_env, "seed")
    outputs = {
        seed: [
            ipeco_process({**cli_env, "PYTHONHASHSEED": seed}, *args, "--json").stdout
            for args in (("analyze", "--region", "ishikawa"), ("gaps", "--region", "aomori"))
        ]
        for seed in ("1", "2")
    }
    assert outputs["1"] == outputs["2"]


def test_audit_names_each_finding_and_exits_1(cli_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text(
        "id,label,name,level,region,evidence,confidence\n"
        "region:zz,Region,試験県,prefecture,,https://example.org/zz,src\n"
        "org:zz-a,Company,株式会社エー,,zz,https://example.org/a,src\n"
        "org:zz-b,Company,株式会社ビー,,zz,,likely\n",
        encoding="utf-8",
    )
    (tmp_path / "relationships.csv").write_text(
        "source,type,target,kind,evidence,confidence\n"
        "org:zz-a,COLLABORATES_WITH,org:zz-b,joint_research,record-17,src\n",
        encoding="utf-8",
    )
    ipeco(cli_env, "load", "canonical", str(tmp_path / "nodes.csv"), str(tmp_path / "relationships.csv"))
    result = ipeco(cli_env, "audit", "--region", "zz", "--json", check=False)
    assert result.returncode == 1
    found = {(f["kind"], f["ref"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {
        ("no_evidence", "org:zz-b"),
        ("evidence_not_url", "org:zz-a -[COLLABORATES_WITH]-> org:zz-b"),
        ("no_date", "org:zz-a -[COLLABORATES_WITH]-> org:zz-b"),
    }
    text = ipeco(cli_env, "audit", "--region", "zz", check=False).stdout
    assert "3 finding(s)" in text and "no source / 出典なし: 1" in text


def test_a_refused_load_with_json_prints_every_violation(cli_env: dict[str, str]) -> None:
    """`--json` turns a refused load into data on stdout: every violation with file, line and field; exit 1."""
    bad = Path(__file__).resolve().parent / "fixtures" / "canonical" / "many_errors"
    result = ipeco(cli_env, "load", "canonical", str(bad), "--json", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["error"].endswith("nothing was written:")
    assert len(data["violations"]) > 1
    for violation in data["violations"]:
        assert set(violation) == {"file", "line", "sheet", "field", "message"}
        assert violation["file"].startswith(str(bad)) and violation["field"] and violation["message"]
    option = json.loads(
        ipeco(cli_env, "load", "canonical", str(bad), "--encoding", "nope", "--json", check=False).stdout
    )
    assert option["violations"] == [
        {
            "file": "(options)",
            "line": None,
            "sheet": None,
            "field": "encoding",
            "message": "unknown encoding 'nope'; use utf-8 or cp932 (or leave --encoding out to detect it)",
        }
    ]
    text = ipeco(cli_env, "load", "canonical", str(bad), check=False)  # without --json: one block on stderr
    assert text.returncode == 1 and text.stdout == "" and text.stderr.startswith("error: ")


def test_load_names_the_encoding_it_read(cli_env: dict[str, str], tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent / "fixtures" / "houjin" / "02_aomori_all_20251031.csv"
    sjis = tmp_path / "02_aomori_sjis.csv"
    sjis.write_bytes(source.read_text(encoding="utf-8").encode("cp932"))
    out = ipeco(cli_env, "load", "houjin", str(sjis), "--region", "aomori").stdout
    assert f"encoding: cp932 ({sjis})" in out
    data = json.loads(ipeco(cli_env, "load", "houjin", str(sjis), "--json").stdout)
    assert data["report"]["encodings"] == {str(sjis): "cp932"} and data["nodes_created"] == 0


def test_compare_without_region_compares_every_region_in_the_store(cli_env: dict[str, str], tmp_path: Path) -> None:
    from tests.test_loader_canonical import new_region_template

    ipeco(cli_env, "seed", "--no-synthetic")
    ipeco(cli_env, "load", "canonical", str(new_region_template(tmp_path / "tpl", "zz_test", "zz_test")))
    regions = json.loads(ipeco(cli_env, "compare", "--json").stdout)["regions"]
    keys = [r if isinstance(r, str) else r.get("key", r.get("region")) for r in regions]
    # the six model regions first, by JIS code, then every other region in the store
    assert keys[:6] == ["aomori", "ishikawa", "aichi", "kobe", "yamaguchi", "kumamoto"] and "zz_test" in keys
