"""What the Checkov external checks (checkov_ack/checkov_checks/) call: the scanner's verdicts.

The checks hold no rule logic; their common body is `AckCheck`, at the end. A check hands over the
entity Checkov gives it; this module finds the unit the scanner would evaluate for that entity,
evaluates it once through `scan_paths` (the same adapters, Rego and `.checkov-ack.yaml` as
`checkov-ack scan`), and turns the unit's findings for the check's rule and this resource into a
Checkov result:

    any unsuppressed fail -> FAILED; else a fail suppressed by a waiver -> SKIPPED;
    else any unknown -> UNKNOWN (FAILED with `checkov_unknown: fail`); else any pass -> PASSED;
    else (the rule does not apply to this resource) -> UNKNOWN.

Checkov drops UNKNOWN results from every output (Report.add_record keeps PASSED/FAILED/SKIPPED),
which is why `checkov_unknown: fail` exists.

Units (one evaluation each, shared by all 16 checks in the process, cached by path and mtimes):
- Terraform HCL: the module directory of the scanned file (its .tf files; local child modules are
  read through it), or, for a resource Checkov reports inside a child module (`module.x....`), every
  .tf file under the scanned root, since only a caller gives that address;
- Terraform plan JSON and ROS templates: the file.

Checkov internals relied on (no public way exists; each is pinned by tests/checkov/test_internals.py):
- BaseCheck.run() sets `self.entity_path = f"{scanned_file}:{entity_type}:{entity_name}"` and the
  resource base classes set `self.entity_type` before calling scan_resource_conf;
- with `-d DIR`, `scanned_file` is the path relative to DIR with a leading "/", and the scanned
  directories are in `bc_integration.scan_dir` (files of `-f` in `bc_integration.scan_file`);
- Terraform and plan resource confs carry the resource address in `conf["__address__"]`;
- `check.details` (a list of strings) is copied into the report record and printed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from checkov_ack.config import CONFIG_NAME, Config, load_config
from checkov_ack.errors import CheckovAckError
from checkov_ack.model.document import Json
from checkov_ack.reporters.catalog import CatalogRule, load_catalog
from checkov_ack.suppressions import Result, load_waivers

LOG = logging.getLogger("checkov_ack.checkov")

TERRAFORM = "terraform"  # HCL and plan JSON: the same Checkov resource registry runs on both
ROS = "ros"  # Checkov's CloudFormation runner parses ROS templates

# The resource types our adapters read, as Checkov names them.
TERRAFORM_TYPES = (
    "alicloud_security_group",
    "alicloud_security_group_rule",
    "alicloud_cs_managed_kubernetes",
    "alicloud_cs_kubernetes",
    "alicloud_cs_kubernetes_node_pool",
    "alicloud_vpc",
    "alicloud_vpc_ipv4_cidr_block",
    "alicloud_vswitch",
)
ROS_TYPES = (
    "ALIYUN::ECS::SecurityGroup",
    "ALIYUN::ECS::SecurityGroupClone",
    "ALIYUN::ECS::SecurityGroupIngress",
    "ALIYUN::ECS::SecurityGroupEgress",
    "ALIYUN::ECS::SecurityGroupIngresses",
    "ALIYUN::ECS::SecurityGroupEgresses",
    "ALIYUN::CS::ManagedKubernetesCluster",
    "ALIYUN::CS::KubernetesCluster",
    "ALIYUN::CS::ClusterNodePool",
    "ALIYUN::ECS::VPC",
    "ALIYUN::ECS::VSwitch",
)
_TYPES = {TERRAFORM: TERRAFORM_TYPES, ROS: ROS_TYPES}

# Verdicts as Checkov's CheckResult values (checkov.common.models.enums), kept as text so this
# module is usable without importing Checkov.
FAILED, PASSED, SKIPPED, UNKNOWN = "FAILED", "PASSED", "SKIPPED", "UNKNOWN"
UNKNOWN_CHOICES = ("hide", "fail")  # `checkov_unknown` in .checkov-ack.yaml
# Set to a file path to append one line per unit evaluation (tests and benchmarks count them;
# Checkov may run frameworks in forked processes, so a per-process counter would not add up).
STATS_ENV = "CHECKOV_ACK_EVALUATION_LOG"
_SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


@dataclass(frozen=True)
class Unit:
    kind: str  # terraform_hcl | terraform_plan | ros
    paths: tuple[Path, ...]  # the file, or the folder whose .tf files are read
    root: Path  # where .checkov-ack.yaml is looked for
    tree: bool = False  # HCL: every .tf file under `paths[0]`, not only its own


@dataclass
class Evaluation:
    stamp: tuple[Any, ...]
    results: list[Result] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # input, settings or engine errors
    unknown_as_fail: bool = False
    # Plan JSON: Checkov reads planned_values, where a deleted SG no longer exists, so the findings
    # on it (CKV_ACK_11) go to the clusters it stays attached to: address -> cluster addresses.
    moved: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    result: str  # one of FAILED, PASSED, SKIPPED, UNKNOWN
    details: tuple[str, ...] = ()


# --- where the scanned file is -----------------------------------------------------------------


def split_entity_path(entity_path: str, entity_type: str) -> tuple[str, str]:
    """(scanned_file, entity_name) from Checkov's `f"{scanned_file}:{entity_type}:{entity_name}"`."""
    marker = f":{entity_type}:"
    at = entity_path.rfind(marker)
    if at < 0:
        raise CheckovAckError(f"unexpected Checkov entity path {entity_path!r} (type {entity_type})")
    return entity_path[:at], entity_path[at + len(marker):]


def _checkov_roots() -> tuple[list[str], list[str]]:
    """The directories (`-d`) and files (`-f`) of the running Checkov (empty outside Checkov)."""
    try:
        from checkov.common.bridgecrew.platform_integration import bc_integration
    except ImportError:  # pragma: no cover - checkov is a dependency
        return [], []
    dirs = [str(d) for d in (getattr(bc_integration, "scan_dir", None) or [])]
    files = [str(f) for f in (getattr(bc_integration, "scan_file", None) or [])]
    return dirs, files


def locate(scanned_file: str, dirs: Sequence[str] = (), files: Sequence[str] = ()) -> tuple[Path, Path]:
    """(absolute file, scanned root) for Checkov's `scanned_file`.

    With `-d DIR` Checkov passes "/<path relative to DIR>"; with `-f FILE` the path as given."""
    relative = scanned_file.lstrip("/\\")
    for root in dirs:
        candidate = Path(root) / relative
        if candidate.is_file():
            return candidate.resolve(), Path(root).resolve()
    for given in files:
        path = Path(given)
        if path.is_file() and (path.resolve() == Path(scanned_file).resolve()
                               or path.resolve().as_posix().endswith("/" + relative)):
            resolved = path.resolve()
            return resolved, resolved.parent
    path = Path(scanned_file)
    if path.is_file():
        resolved = path.resolve()
        return resolved, resolved.parent
    raise CheckovAckError(f"cannot find the file Checkov scanned: {scanned_file}")


# --- units and their stamps -------------------------------------------------------------------


def _tf_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.tf") if p.is_file())


def _tf_files_under(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        found.extend(Path(dirpath) / n for n in sorted(filenames) if n.endswith(".tf"))
    return found


def _kind_of(path: Path, framework: str) -> str:
    if framework == ROS:
        return "ros"
    return "terraform_hcl" if path.suffix == ".tf" else "terraform_plan"


def unit_for(framework: str, file: Path, root: Path, address: str | None) -> Unit:
    kind = _kind_of(file, framework)
    if kind != "terraform_hcl":
        return Unit(kind, (file,), root)
    if address and address.startswith("module."):
        return Unit(kind, (root,), root, tree=True)
    return Unit(kind, (file.parent,), root)


def _unit_files(unit: Unit) -> list[Path]:
    if unit.kind != "terraform_hcl":
        return list(unit.paths)
    return _tf_files_under(unit.paths[0]) if unit.tree else _tf_files(unit.paths[0])


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_mtime_ns, st.st_size)


def config_path(unit: Unit) -> Path | None:
    """The nearest `.checkov-ack.yaml` from the unit's folder up to the scanned root.

    `checkov-ack scan DIR` reads DIR's file; Checkov scans one root holding many such DIRs, so each
    unit takes the file of the closest folder that has one (the root's when none is closer)."""
    start = unit.paths[0] if unit.kind == "terraform_hcl" else unit.paths[0].parent
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if folder == unit.root or unit.root not in folder.parents:
            break
    return None


def _stamp(files: Iterable[Path], config: Path | None) -> tuple[Any, ...]:
    return (*map(_stat, files), _stat(config) if config else None)


# --- evaluation ---------------------------------------------------------------------------------


class Bridge:
    """One per process: the compiled policies and the evaluated units."""

    def __init__(self) -> None:
        self._engine: Any = None
        self._cache: dict[Unit, Evaluation] = {}
        # All 16 checks run on one entity in a row: its unit's stamp is taken once, not 16 times.
        self._last_stamp: dict[Unit, tuple[str, tuple[Any, ...]]] = {}
        self.evaluations = 0

    def _engine_once(self) -> Any:
        if self._engine is None:
            from checkov_ack.engine import Engine

            self._engine = Engine()
        return self._engine

    def evaluation(self, unit: Unit, entity_key: str) -> Evaluation:
        last = self._last_stamp.get(unit)
        if last is not None and last[0] == entity_key and unit in self._cache:
            return self._cache[unit]
        files = _unit_files(unit)
        config = config_path(unit)
        stamp = _stamp(files, config)
        self._last_stamp[unit] = (entity_key, stamp)
        cached = self._cache.get(unit)
        if cached is not None and cached.stamp == stamp:
            return cached
        evaluation = self._evaluate(unit, files, config, stamp)
        self._cache[unit] = evaluation
        return evaluation

    def _evaluate(self, unit: Unit, files: list[Path], config_file: Path | None,
                  stamp: tuple[Any, ...]) -> Evaluation:
        from checkov_ack.scan import scan_paths

        self.evaluations += 1
        _record_evaluation(unit)
        evaluation = Evaluation(stamp)
        try:
            config = load_config(config_file) if config_file else Config()
            evaluation.unknown_as_fail = _unknown_as_fail(config)
            waivers = load_waivers(config.waivers) if config.waivers else []
            # HCL: the .tf files by name, so only Terraform is read (Checkov's terraform framework
            # sees no ROS or API exports) and local child modules come in through their callers.
            paths = files if unit.kind == "terraform_hcl" else list(unit.paths)
            if not paths:
                return evaluation
            result = scan_paths(paths, config.settings, waivers=waivers, engine=self._engine_once())
        except CheckovAckError as exc:
            evaluation.problems.append(f"checkov-ack: {exc}")
            LOG.error("checkov-ack: %s", exc)
            return evaluation
        evaluation.results = result.results
        if unit.kind == "terraform_plan":
            evaluation.moved = deleted_sg_homes(result.document)
        for error in result.errors:
            evaluation.problems.append(f"checkov-ack input error: {error}")
            LOG.error("checkov-ack input error: %s", error)
        for warning in result.warnings:
            LOG.warning("checkov-ack: %s", warning)
        return evaluation


def _unknown_as_fail(config: Config) -> bool:
    return config.checkov_unknown == "fail"


def _record_evaluation(unit: Unit) -> None:
    target = os.environ.get(STATS_ENV)
    if not target:
        return
    line = f"{os.getpid()}\t{unit.kind}\t{','.join(str(p) for p in unit.paths)}\n"
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line)
    except OSError as exc:
        LOG.warning("checkov-ack: cannot write %s: %s", target, exc)


def deleted_sg_homes(document: Json) -> dict[str, list[str]]:
    """Address of each SG the plan deletes -> addresses of the clusters not deleted that still use it
    (the resources Checkov shows for such a finding)."""
    deleted = {sg["key"]: sg.get("address") for sg in document.get("security_groups", [])
               if sg.get("change") == "delete" and sg.get("address")}
    homes: dict[str, list[str]] = {}
    for cluster in document.get("clusters", []):
        if cluster.get("change") == "delete" or not cluster.get("address"):
            continue
        for key in cluster.get("sg_set") or []:
            if key in deleted:
                homes.setdefault(str(deleted[key]), []).append(str(cluster["address"]))
    return homes


# --- findings -> verdict ------------------------------------------------------------------------


def _belongs(finding: Json, address: str, file: Path, framework: str,
             moved: dict[str, list[str]] | None = None) -> bool:
    resource = finding.get("resource")
    if not isinstance(resource, str):
        return False
    # A ROS inline rule `Sg.SecurityGroupIngress[0]` belongs to the resource `Sg`.
    if resource != address and not (framework == ROS and resource.startswith(address + ".")) \
            and address not in (moved or {}).get(resource, ()):
        return False
    where = finding.get("file")
    return not where or Path(str(where)).resolve() == file


def _describe(result: Result) -> str:
    f = result.finding
    where = f"{f.get('file')}:{f.get('line')}" if f.get("line") else str(f.get("file") or "")
    text = f"{f['status']}: {f.get('message', '')}" + (f" ({where})" if where else "")
    if result.suppression is not None:
        text += f" [suppressed by {result.suppression.kind} {result.suppression.source}: " \
                f"{result.suppression.reason}]"
    return text


def decide(results: Sequence[Result], problems: Sequence[str], unknown_as_fail: bool) -> Verdict:
    """The Checkov result for one rule on one resource, from the scanner's findings."""
    active = [r for r in results if not r.suppressed]
    statuses = {r.finding["status"] for r in active}
    problem_details = tuple(problems)
    if "fail" in statuses:
        shown = [r for r in active if r.finding["status"] == "fail"]
        return Verdict(FAILED, tuple(map(_describe, shown)) + problem_details)
    if problems:
        # A file the scanner could not read: whatever it would have said is not known to hold.
        return Verdict(FAILED, problem_details + tuple(map(_describe, results)))
    if any(r.finding["status"] == "fail" for r in results):
        return Verdict(SKIPPED, tuple(_describe(r) for r in results if r.suppressed))
    if "unknown" in statuses:
        shown = [r for r in active if r.finding["status"] == "unknown"]
        return Verdict(FAILED if unknown_as_fail else UNKNOWN, tuple(map(_describe, shown)))
    if "pass" in statuses:
        return Verdict(PASSED, tuple(map(_describe, active)))
    return Verdict(UNKNOWN)


_BRIDGE: Bridge | None = None


def bridge() -> Bridge:
    global _BRIDGE
    if _BRIDGE is None:
        _BRIDGE = Bridge()
    return _BRIDGE


def verdict(rule_id: str, framework: str, entity_path: str, entity_type: str,
            conf: dict[str, Any]) -> Verdict:
    """The Checkov verdict of `rule_id` on the entity a check is looking at. Never raises: Checkov
    re-raises a check's exception and the scan stops, so a failure here is a FAILED with details."""
    try:
        scanned_file, name = split_entity_path(entity_path, entity_type)
        dirs, files = _checkov_roots()
        file, root = locate(scanned_file, dirs, files)
        address = _address(framework, conf, entity_type, name)
        unit = unit_for(framework, file, root, address)
        evaluation = bridge().evaluation(unit, entity_path)
        mine = [
            r for r in evaluation.results
            if r.finding.get("rule_id") == rule_id
            and _belongs(r.finding, address, file, framework, evaluation.moved)
        ]
        return decide(mine, evaluation.problems, evaluation.unknown_as_fail)
    except CheckovAckError as exc:
        LOG.error("checkov-ack: %s", exc)
        return Verdict(FAILED, (f"checkov-ack: {exc}",))
    except Exception as exc:  # noqa: BLE001 - never PASSED, never a crash of the whole Checkov run
        LOG.error("checkov-ack internal error on %s: %s: %s", entity_path, type(exc).__name__, exc,
                  exc_info=True)
        return Verdict(FAILED, (f"checkov-ack internal error: {type(exc).__name__}: {exc}",))


def _address(framework: str, conf: dict[str, Any], entity_type: str, name: str) -> str:
    if framework == ROS:
        return name  # the logical ID
    address = conf.get("__address__")
    if isinstance(address, str) and address:
        return address
    return f"{entity_type}.{name}"


# --- the checks ---------------------------------------------------------------------------------

_Check = TypeVar("_Check", bound="AckCheck")


class AckCheck:
    """The body of every framework's check class, mixed in before that framework's resource check
    base: `class AckTerraformCheck(AckCheck, BaseResourceCheck)`. The leaf classes stay in the
    check modules, whose name Checkov reports as each result's check class.

    Checkov is imported in the methods, so that importing this module does not load it."""

    framework: ClassVar[str]  # TERRAFORM or ROS, set by the leaf class
    # Set by Checkov's BaseCheck, which the leaf class also derives from.
    id: str
    entity_path: str
    entity_type: str
    details: list[str]
    severity: Any

    def __init__(self, rule: CatalogRule, guideline: str) -> None:
        from checkov.common.bridgecrew.severities import Severities
        from checkov.common.models.enums import CheckCategories

        # The framework's BaseResourceCheck, next in the leaf class's MRO; mypy sees only object.
        resource_check_init: Any = super().__init__
        resource_check_init(
            name=rule.title,
            id=rule.id,
            categories=[CheckCategories.NETWORKING],
            supported_resources=_TYPES[self.framework],
            guideline=guideline,
        )
        self.severity = Severities[rule.severity]

    def scan_resource_conf(self, conf: dict[str, Any]) -> Any:
        from checkov.common.models.enums import CheckResult

        found = verdict(self.id, self.framework, self.entity_path, self.entity_type, conf)
        self.details.extend(found.details)
        return CheckResult(found.result)

    @classmethod
    def for_catalog(cls: type[_Check]) -> list[_Check]:
        """One check per rule of the catalog (CKV_ACK_1..16); creating one registers it.

        Checkov executes a check module once per framework registry that loads external checks;
        every run makes the same instances and Checkov keeps the first of each ID, so repeated
        loading is harmless."""
        catalog = load_catalog()
        return [cls(rule, catalog.guide) for rule in catalog.rules]
