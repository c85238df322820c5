"""Every damaged 法人番号 archive is a clean error naming the file and the member (issue 26, item 3).

An encrypted member, an invalid bzip2 stream, corrupt LZMA data and damaged header fields gave a
raw traceback with no file named and no JSON. Each is built here from the real-shaped fixture.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipeco.cli import cli
from loaders.base import LoadContext, LoaderError, LoadOptions
from loaders.houjin import read_houjin
from tests.conftest import FIXTURES

AOMORI = FIXTURES / "houjin" / "02_aomori_all_20251031.csv"
MEMBER = AOMORI.name
DATA_AT = 30 + len(MEMBER)  # the one member's data follows its local header


def archive(method: int) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zipped:
        zipped.writestr(MEMBER, AOMORI.read_bytes())
    return bytearray(buffer.getvalue())


def encrypted() -> bytearray:
    raw = archive(zipfile.ZIP_STORED)
    raw[6] |= 1  # general-purpose flag bit 0, local header and central directory
    raw[raw.rfind(b"PK\x01\x02") + 8] |= 1
    return raw


def scrambled(method: int, start: int = 2, value: int | None = None) -> Callable[[], bytearray]:
    """The member's data from ``start`` on XOR-ed with 0x5A, or set to ``value`` (8 bytes)."""

    def build() -> bytearray:
        raw = archive(method)
        for offset in range(DATA_AT + start, DATA_AT + start + (28 if value is None else 8)):
            raw[offset] = raw[offset] ^ 0x5A if value is None else value
        return raw

    return build


def header_damage() -> bytearray:
    raw = archive(zipfile.ZIP_STORED)
    raw[26:28] = (500).to_bytes(2, "little")  # the local header's file-name length
    return raw


def unknown_method() -> bytearray:
    raw = archive(zipfile.ZIP_STORED)
    raw[8:10] = (77).to_bytes(2, "little")
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 10 : central + 12] = (77).to_bytes(2, "little")
    return raw


CASES: dict[str, Callable[[], bytearray]] = {
    "encrypted member": encrypted,
    "invalid bzip2 stream": scrambled(zipfile.ZIP_BZIP2),
    "corrupt lzma properties": scrambled(zipfile.ZIP_LZMA, start=0, value=0x00),  # LZMAError: unsupported options
    "corrupt lzma data": scrambled(zipfile.ZIP_LZMA, start=5, value=0xFF),  # LZMAError: corrupt input data
    "corrupt deflate": scrambled(zipfile.ZIP_DEFLATED),
    "header damage": header_damage,
    "unknown compression method": unknown_method,
}


@pytest.mark.parametrize("damage", sorted(CASES))
def test_a_damaged_member_names_the_file_and_the_member(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "02_damaged_all_20251031.zip"
    path.write_bytes(bytes(CASES[damage]()))
    with pytest.raises(LoaderError) as caught:
        read_houjin([path], LoadOptions(), LoadContext())
    (violation,) = caught.value.violations
    assert violation.origin is not None and violation.origin.file == f"{path}!{MEMBER}"
    assert MEMBER in violation.message and "download it again" in violation.message
    if "lzma" in damage:
        assert "LZMAError" in violation.message


@pytest.mark.parametrize("damage", ["encrypted member", "invalid bzip2 stream"])
def test_the_cli_answers_in_json(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "02_damaged_all_20251031.zip"
    path.write_bytes(bytes(CASES[damage]()))
    env = {"IPECO_HOME": str(tmp_path / "home"), "IPECO_STORE": "embedded"}
    result = CliRunner().invoke(cli, ["load", "houjin", str(path), "--json"], env=env)
    assert result.exit_code == 1, result.output
    refusal = json.loads(result.stdout)
    assert refusal["ok"] is False and refusal["violations"][0]["file"] == f"{path}!{MEMBER}"
