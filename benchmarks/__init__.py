"""Benchmarks: synthetic inputs at several scales (generate.py) and the runner (run.py).

`python -m benchmarks.run [--quick]` writes benchmarks/RESULTS.md; see that file for the method.
"""
