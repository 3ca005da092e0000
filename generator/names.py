"""Names the command line shows before any stage is loaded: the environment variables opensite reads and the
default output folder (one place each, so `opensite build` can print its help and take the no-op fast path
without importing the stages that use them, issue 24)."""

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
"""The build time, in seconds since 1970 (reproducible builds): generator.build."""
METRICS_DIR_VARIABLE = "OPENSITE_METRICS_DIR"
"""The folder metrics CSVs are read from, instead of site.yaml's `metrics_dir`: generator.config.site."""
FONT_DIRS_VARIABLE = "OPENSITE_FONT_DIRS"
"""The folders share-card fonts are found in, instead of the system's: generator.charts.fonts."""
DEFAULT_OUTPUT = "output"
"""The output folder, inside the site's folder, when none is given: generator.write."""
