"""The site layer: the one place that knows every app (root URLs, navigation, the start, health
and legal pages, the demo loader and the benchmark)."""
