"""Terraform HCL support for the terraform_hcl adapter.

- `syntax`: .tf text -> blocks, attributes and an expression tree (bc-python-hcl2's lark grammar,
  with operator precedence restored and string templates parsed here); a linear pre-scan refuses
  unterminated strings, on which the grammar's regexes backtrack for minutes.
- `values`, `functions`, `evaluate`: a safe evaluator (no eval/exec, bounded sizes). UNKNOWN
  propagates; `Ref` stands for a declared resource's apply-time ID so references to SGs, vSwitches,
  VPCs and clusters can be tied back to them.
- `module`: module directories, variables (defaults < terraform.tfvars < *.auto.tfvars < var files
  < params), locals, count / for_each, local child modules, lazy and memoized evaluation.
- `skips`: `checkov:skip=` comments (the parser drops comments, so source lines are scanned).

Choices worth knowing when reading a document:
- a `count` / `for_each` that cannot be known yields one instance addressed `x.y[?]`;
- a rule whose SG cannot be resolved sits under a placeholder SG `tf:<dir>:unresolved-sg:<rule>`;
- a node pool whose cluster is not in the module sits under a cluster of kind `unknown`
  (`tf:<dir>:cluster:<literal ID>` or `tf:<dir>:unresolved-cluster:<pool>`);
- an unsupported function, a data source, a registry module's outputs, a computed attribute:
  UNKNOWN, never a guess.
"""
