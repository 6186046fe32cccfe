"""The policy engine: the shipped Rego evaluated in-process on regopy.

See docs/architecture.md ("Evaluation") and ../shared/docs/engine-notes.md for why it is built this
way: strict builtin errors (regopy lacks builtins and would silently say "undefined"), modules
compiled once per policy content and regopy build (the compiled bundle is cached on disk as
`bundle-v2-<key>.rbb` in `preflight.cache_dir()`, so later processes load it instead of compiling),
one evaluation per unit so cost grows linearly, input passed as JSON text (big integers stay exact)
and regopy's own writes to the process stdout kept out of our reports.
"""

from __future__ import annotations

from checkov_ack.engine.regopy_engine import (
    ENTRYPOINT,
    Engine,
    PolicySet,
    default_jobs,
    load_policy_set,
    shared_engine,
)

__all__ = ["ENTRYPOINT", "Engine", "PolicySet", "default_jobs", "load_policy_set", "shared_engine"]
