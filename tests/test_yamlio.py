"""The one YAML file reader: every failure names the file and the problem."""

from __future__ import annotations

import pytest

from inclusion_evidence.core.errors import DataError, ParameterError
from inclusion_evidence.core.yamlio import read_yaml_file


def test_reads_a_mapping(tmp_path):
    f = tmp_path / "ok.yml"
    f.write_text("a: 1\nb: [x, y]\n", encoding="utf-8")
    assert read_yaml_file(f, "test file") == {"a": 1, "b": ["x", "y"]}


@pytest.mark.parametrize("content, problem", [
    (None, "settings file not found"),
    (b"a: [unclosed\n", "not valid YAML"),
    (b"a: \xff\xfe\n", "not UTF-8 text"),
])
def test_bad_file_names_file_and_problem(tmp_path, content, problem):
    f = tmp_path / "settings.yml"
    if content is not None:
        f.write_bytes(content)
    with pytest.raises(DataError) as exc:
        read_yaml_file(f, "settings file")
    assert str(exc.value).startswith(str(f)) and problem in str(exc.value)


def test_a_folder_is_refused_with_the_callers_error_type(tmp_path):
    with pytest.raises(ParameterError, match="params cannot be read"):
        read_yaml_file(tmp_path, "params", error=ParameterError)


def test_the_callers_parser_is_used(tmp_path):
    f = tmp_path / "x.yml"
    f.write_text("k: v\n", encoding="utf-8")
    assert read_yaml_file(f, "x", parse=lambda text: text.upper()) == "K: V\n"
