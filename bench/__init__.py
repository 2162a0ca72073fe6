"""Benchmarks against the converged e2e server: `python -m bench` (bench/run.py)."""
