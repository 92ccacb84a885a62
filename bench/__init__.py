"""Benchmarks (tables and JSON), not tests. Run each as `python -m bench.<name> --help`."""
