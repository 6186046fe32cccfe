"""Child process of limits.run_load: the adapters only (no regopy), so RLIMIT_AS can bound it.

Prints {"inputs": [file...], "errors": [text...], "problems": [schema problems]} and exits 0; any
exception escapes as a traceback and a non-zero exit, which the calling test reports.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from checkov_ack.adapters import load_paths
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings


def main(argv: list[str]) -> None:
    follow = "--follow" in argv
    paths = [Path(a) for a in argv if a != "--follow"]
    load = load_paths(paths, AdapterOptions(follow_symlinks=follow))
    document = assemble(load.parts, Settings())
    print(json.dumps({
        "inputs": sorted(str(i["file"]) for i in document["inputs"]),
        "errors": [str(e) for e in load.errors],
        "problems": schema_errors(document)[:5],
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
