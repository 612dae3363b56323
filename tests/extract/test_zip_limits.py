"""Office files that would inflate beyond the limits are refused before anything is inflated
(extract.zip_limits): ZIP bombs in XLSX, DOCX and ODS refused in one line, in under 5 s and
300 MiB; the limits are the ones docs/limits.md states, and can be raised."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from extract import read_document
from extract.zip_limits import LIMITS, ZipBombError, ZipLimits, excess, limits_from

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
BOMB_MEMBERS = {
    "xlsx": "xl/worksheets/sheet1.xml",
    "docx": "word/document.xml",
    "ods": "content.xml",
}


def info(name: str, size: int, compressed: int) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name)
    member.file_size, member.compress_size = size, compressed
    return member


@pytest.mark.parametrize("kind", BOMB_MEMBERS)
def test_office_bomb_is_refused_fast_in_little_memory(
    kind: str, tmp_path: Path, make_hostile: ModuleType, capped_run
) -> None:
    """A 3 MB file whose main part inflates to 1 GiB: one line naming the member and its size."""
    bomb = make_hostile.write_office_bomb(tmp_path / f"bomba.{kind}", kind)
    assert bomb.stat().st_size < 5 * MIB
    args = ["extract", str(bomb), "--out", str(tmp_path / "out"), "--workers", "1"]
    run = capped_run(args, cap_bytes=300 * MIB, timeout=60)

    assert run.status == 1
    assert run.stderr == (
        f"piao: {bomb}: refused, it would inflate beyond the limits: member "
        f"{BOMB_MEMBERS[kind]} inflates to 1.0 GiB (limit 16 MiB; PIAO_ZIP_MAX_MEMBER_MIB)\n"
    )
    assert run.seconds < 5
    assert run.peak_bytes < 300 * MIB


def test_a_small_member_inflating_hundredfold_is_refused_by_its_ratio(
    tmp_path: Path, make_hostile: ModuleType
) -> None:
    bomb = make_hostile.write_office_bomb(tmp_path / "piccola.xlsx", "xlsx", inflated=8 * MIB)
    with pytest.raises(ZipBombError) as caught:
        read_document(bomb)
    message = str(caught.value)
    assert re.fullmatch(
        rf"{re.escape(str(bomb))}: refused, it would inflate beyond the limits: member "
        r"xl/worksheets/sheet1\.xml inflates \d+\.\d KiB to 8\.0 MiB \(\d+x; limit 100x; "
        r"PIAO_ZIP_MAX_RATIO\)",
        message,
    ), message


def test_the_limits_are_the_documented_ones() -> None:
    """docs/limits.md states these figures; the table there is checked against them."""
    assert ZipLimits(member_mib=16, total_mib=32, ratio=100, members=10_000) == LIMITS
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for figure in ("| 16 MiB |", "| 32 MiB |", "| 100 |", "| 10,000 |"):
        assert figure in text


def test_each_limit_can_be_raised_by_its_variable() -> None:
    environ = {
        "PIAO_ZIP_MAX_MEMBER_MIB": "2048",
        "PIAO_ZIP_MAX_TOTAL_MIB": "4096",
        "PIAO_ZIP_MAX_RATIO": "1000",
        "PIAO_ZIP_MAX_MEMBERS": "20",
    }
    assert limits_from(environ) == ZipLimits(2048, 4096, 1000, 20)
    assert limits_from({"PIAO_ZIP_MAX_RATIO": "lots"}) == LIMITS


def test_members_within_the_limits_pass() -> None:
    members = [info("xl/worksheets/sheet1.xml", 12 * MIB, 1 * MIB), info("a.xml", 900, 1)]
    assert excess(members, LIMITS) is None


def test_the_total_is_a_limit_of_its_own() -> None:
    members = [info(f"part{n}.xml", 10 * MIB, 1 * MIB) for n in range(4)]
    assert excess(members, LIMITS) == (
        "members inflate to 40.0 MiB or more, up to part3.xml "
        "(limit 32 MiB; PIAO_ZIP_MAX_TOTAL_MIB)"
    )


def test_too_many_members_are_refused() -> None:
    members = [info(f"p{n}.xml", 10, 10) for n in range(10_001)]
    assert excess(members, LIMITS) == "10001 members (limit 10000; PIAO_ZIP_MAX_MEMBERS)"


def test_the_real_office_fixtures_are_within_the_limits() -> None:
    for name in ("portomaggiore.docx", "portomaggiore.xlsx", "portomaggiore.ods"):
        with zipfile.ZipFile(ROOT / "tests" / "fixtures" / name) as archive:
            assert excess(archive.infolist(), LIMITS) is None, name
