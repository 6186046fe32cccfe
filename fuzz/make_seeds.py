"""Build the seed corpus of each harness from the project's own fixtures.

    python fuzz/make_seeds.py            # fuzz/seeds/<kind>/ from fixtures/adapters and scenarios
    python fuzz/make_seeds.py --shared   # also ../shared/corpus (kept out of git: not ours to copy)

Seeds are whole real inputs, so the fuzzer starts from files that reach the adapters' deep paths
instead of spending its first hours rediscovering JSON and YAML. Small files only (fast runs).
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "seeds"
MAX_SEED_BYTES = 48 * 1024
PATTERNS = {
    "terraform_hcl": ("*.tf", "*.tfvars"),
    "terraform_plan": ("*.json",),
    "ros": ("*.yaml", "*.yml", "*.json"),
    "api_export": ("*.json",),
}


def _sources(kind: str, shared: bool) -> list[Path]:
    scenarios = sorted((ROOT / "fixtures" / "scenarios").glob(f"*/{kind}"))
    roots = [ROOT / "fixtures" / "adapters" / kind, *scenarios]
    if shared:
        sub = {"terraform_plan": "plan", "api_export": "api"}.get(kind)
        if sub:
            roots.append(ROOT.parent / "shared" / "corpus" / sub)
    found = []
    for root in roots:
        for pattern in PATTERNS[kind]:
            found.extend(p for p in root.rglob(pattern) if "expected" not in p.name)
    return sorted(set(found))


def build(shared: bool) -> dict[str, int]:
    counts = {}
    for kind in PATTERNS:
        out = SEEDS / kind
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        for path in _sources(kind, shared):
            data = path.read_bytes()
            if len(data) > MAX_SEED_BYTES:
                continue
            # Content-named like libFuzzer's own corpus files, so reruns add no duplicates.
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
            n += 1
        counts[kind] = n
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", action="store_true", help="add ../shared/corpus samples (not committed)")
    print(build(parser.parse_args().shared))
