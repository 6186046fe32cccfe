"""A truncated real input in a scanned folder is an error naming it, never skipped quietly.

A folder scan skips files that are none of our kinds; a broken file of our kinds must not look like
one of those, or cutting an export short would make the scan pass on what it never read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hostile.inputs import data_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkov_ack.adapters import load_paths
from checkov_ack.adapters.common import AdapterOptions

FILES = [p for p in data_files() if load_paths([p], AdapterOptions()).parts]


def test_there_are_real_inputs_to_cut() -> None:
    assert len(FILES) >= 20


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(FILES), st.floats(min_value=0.3, max_value=0.999))
def test_truncated_input_in_a_folder_is_read_or_an_error(source: Path, fraction: float) -> None:
    data = source.read_bytes()
    cut = data[: int(len(data) * fraction)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.name
        path.write_bytes(cut)
        load = load_paths([Path(tmp)], AdapterOptions())
    assert str(path) not in load.skipped, f"{source} cut at {len(cut)} of {len(data)} bytes was skipped"
    read = {i["file"] for part in load.parts for i in part["inputs"]}
    assert str(path) in read or any(e.file == str(path) for e in load.errors)
