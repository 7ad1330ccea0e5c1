"""Tests for the file checks every text reader shares (readers/_common.py)."""

from __future__ import annotations

import pytest
from helpers import raises_naming, write_text

from inclusion_evidence.ingest.readers._common import read_bytes, read_json, read_text
from inclusion_evidence.ingest.readers.children import read_migrationsverket_monthly
from inclusion_evidence.ingest.readers.cities import read_eurocities, read_eurocities_list
from inclusion_evidence.ingest.readers.population import read_unhcr_population, read_worldbank_population
from inclusion_evidence.ingest.readers.regional import read_europe_locals


@pytest.mark.parametrize("read", [read_bytes, read_text, read_json])
def test_missing_folder_empty_and_blank(tmp_path, read):
    raises_naming(tmp_path / "absent.csv", read, "file not found")
    raises_naming(tmp_path, read, "is a folder, not a file")
    raises_naming(write_text(tmp_path, "", "empty.csv"), read, "file is empty")
    raises_naming(write_text(tmp_path, " \n\t\n", "blank.csv"), read, "file is empty")


def test_text_drops_the_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    assert read_text(path) == "a,b\n1,2\n"
    assert read_bytes(path).startswith(b"\xef\xbb\xbf")


def test_not_utf8_names_byte_and_row(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("a,b\nMálaga,2\n".encode("latin-1"))
    error = raises_naming(path, read_text, "not UTF-8 text (byte 5: b'\\xe1')")
    assert error.row == 2
    error = raises_naming(path, lambda p: read_text(p, "re-save it as UTF-8"), "; re-save it as UTF-8")
    assert error.row == 2


def test_json_cut_off(tmp_path):
    assert read_json(write_text(tmp_path, '{"a": [1, 2]}', "ok.json")) == {"a": [1, 2]}
    raises_naming(write_text(tmp_path, '{"a": [1,', "cut.json"), read_json,
                  "invalid JSON at line 1", "truncated file?")


@pytest.mark.parametrize("read", [read_migrationsverket_monthly, read_eurocities, read_eurocities_list,
                                  read_unhcr_population, read_worldbank_population, read_europe_locals])
def test_readers_reject_non_utf8_and_folders(tmp_path, read):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Málaga\n".encode("latin-1"))
    raises_naming(path, read, "not UTF-8 text")
    raises_naming(tmp_path, read, "is a folder, not a file")
