"""Answer-quality evaluation: run the Assistant over a gold set, score it, report, compare runs."""
