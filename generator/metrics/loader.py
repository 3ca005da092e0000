"""`load_metrics`: the site's metrics/*.csv to one LoadedMetrics, or one MetricsError listing every problem.

Every file is read and checked before deciding anything, so a founder sees the problems of all
files in one run; warnings (e.g. customer counts that do not add up) travel on the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.config.metrics import FILE_COLUMNS, MONEY_FILES, MetricsConfig
from generator.config.site import SiteConfig
from generator.errors import Diagnostic, MetricsError, choice_hint, did_you_mean
from generator.inside import is_inside, outside_problem
from generator.memory import Recall, folder_stamp
from generator.metrics.compute.checks import check_customer_identity, check_mrr_bridge
from generator.metrics.compute.custom import custom_definitions, custom_file_names, load_custom_columns
from generator.metrics.compute.table import compute_metrics
from generator.metrics.features import company_columns, load_company_files
from generator.metrics.read.cohorts import CohortCell, load_cohorts_file
from generator.metrics.read.costs import load_costs_file
from generator.metrics.read.inputs import (
    CostsFile,
    MetricInputs,
    MrrFile,
    load_cash_file,
    load_churn_file,
    load_mrr_file,
)
from generator.metrics.read.money import (
    Converter,
    FxRates,
    FxUse,
    declared_fx,
    load_fx_file,
    merge_fx_uses,
)
from generator.metrics.series import LoadedMetrics
from generator.registry import COST_PREFIX

METRICS_FOLDER = "metrics"
OTHER_FILES = ("annotations.csv",)
"""CSV files other stages read from metrics/ (the dashboard's chart annotations)."""

_LOADERS: Mapping[str, Callable[..., tuple[Any, list[Diagnostic]]]] = {
    "mrr": load_mrr_file, "churn": load_churn_file, "costs": load_costs_file, "cash": load_cash_file,
}


def load_metrics(config: SiteConfig, *, now: datetime | None = None, memory: Recall | None = None) -> LoadedMetrics:
    """Read root/metrics/*.csv as site.yaml's `metrics:` section says, check them, compute every metric.

    Args:
        config: the SiteConfig; `config.metrics` None means defaults.
        now: the build time; a row dated after its month is an error (None: not checked).
        memory: a long-running process's (`serve`): the last result, while no file under the metrics folder
            changed its stat and the settings and the month of `now` are the same.

    Returns:
        The computed data (empty when the site has no metrics), with warnings attached.

    Raises:
        MetricsError: carrying every error and warning of every file.
    """
    if memory is not None:
        month = (now.year, now.month) if now is not None else None  # all _future_rows reads of it
        return memory.get("metrics", (config, month, folder_stamp(config.metrics_folder)),
                          lambda: load_metrics(config, now=now))
    settings: MetricsConfig = config.metrics or MetricsConfig()
    folder = config.metrics_folder
    paths, problems = _find_files(folder, custom_file_names(settings), metrics_root(config))
    if not paths and config.metrics is None:
        return LoadedMetrics(currency=settings.currency)
    _require_mrr(paths, folder)
    rates, found = load_rates(settings, paths.pop("fx", None))
    cohorts, found = _load_cohorts(paths.pop("cohorts", None), settings, found)
    company, found = load_company_files(paths, settings, rates, found)
    inputs, found = _load_inputs(paths, settings, rates, found)
    problems += found
    if inputs.mrr is None:
        raise MetricsError(diagnostics=_ordered(problems))
    problems += _empty_mrr(inputs) + (_future_rows(inputs, now) if now is not None else [])
    problems += _checks(inputs, settings)
    mrr, mrr_fx, found = convert_mrr_file(inputs.mrr, settings.file_options("mrr").currency, rates)
    problems += found
    inputs = replace(inputs, mrr=mrr)
    if "costs" not in paths or inputs.costs is not None:  # a broken costs.csv already says what is wrong
        problems += _publish_problems(settings, inputs.costs)
    custom, found = custom_definitions(settings, inputs.costs.categories if inputs.costs else ())
    columns, read = load_custom_columns(folder, settings)
    problems += found + read
    if any(p.severity == "error" for p in problems):
        raise MetricsError(diagnostics=_ordered(problems))
    found = company_columns(company, inputs, columns, config, rates)
    problems += found.problems
    if any(p.severity == "error" for p in problems):
        raise MetricsError(diagnostics=_ordered(problems))
    fx = merge_fx_uses(declared_fx(rates), mrr_fx, *(file.fx for file in (inputs.costs, inputs.cash) if file))
    data = compute_metrics(inputs, settings, custom, columns, config.language, found.extra, found.features)
    return replace(data, warnings=tuple(_ordered(problems)), fx=fx, team=found.team, cohorts=cohorts,
                   payroll_terms=found.payroll_terms)


def _load_inputs(paths: Mapping[str, Path], settings: MetricsConfig, rates: FxRates,
                 problems: list[Diagnostic]) -> tuple[MetricInputs, list[Diagnostic]]:
    """Read every input file; money files check their currency and convert with `rates`."""
    files = {stem: _LOADERS[stem](path, settings.file_options(stem), settings.decimal_comma,
                                  *((rates,) if stem in MONEY_FILES else ())) for stem, path in paths.items()}
    for _, found in files.values():
        problems = problems + found
    return MetricInputs(**{stem: loaded for stem, (loaded, _) in files.items()}), problems


def _load_cohorts(path: Path | None, settings: MetricsConfig,
                  problems: list[Diagnostic]) -> tuple[tuple[CohortCell, ...] | None, list[Diagnostic]]:
    """Read metrics/cohorts.csv when present (every import writes it); None when the site has none."""
    if path is None:
        return None, problems
    cells, found = load_cohorts_file(path, settings.file_options("cohorts"), settings.decimal_comma)
    return cells, problems + found


def load_rates(settings: MetricsConfig, path: Path | None) -> tuple[FxRates, list[Diagnostic]]:
    """Return the site's exchange rates: metrics/fx.csv (when `path` is given) and site.yaml's `fx:` map."""
    return load_fx_file(path, settings.file_options("fx"), settings.currency, settings.fx, settings.decimal_comma)


def convert_mrr_file(mrr: MrrFile, currency: str | None, rates: FxRates) -> tuple[
        MrrFile, Mapping[tuple[str, Any], FxUse], list[Diagnostic]]:
    """Convert mrr.csv written in another currency, each month at its rate, after the bridge was checked in it."""
    if currency is None or currency == rates.currency:
        return mrr, {}, []
    converter = Converter(rates, "mrr")
    rows = []
    for row in mrr.rows:
        fields = {name: getattr(row, name) for name in ("mrr", "new", "expansion", "contraction", "churned",
                                                         "reactivation") if getattr(row, name) is not None}
        converted = {name: converter.to_site(value, currency, row.month, _at(mrr.path, row.line))
                     for name, value in fields.items()}
        if all(value is not None for value in converted.values()):
            rows.append(replace(row, **converted))
    return replace(mrr, rows=tuple(rows)), converter.uses, converter.problems


def _at(path: Path, line: int) -> Callable[[str, str], Diagnostic]:
    return lambda message, hint: Diagnostic(message, path, line, None, hint)


def _require_mrr(paths: Mapping[str, Path], folder: Path) -> None:
    """Every metric page starts from MRR, so other files or a `metrics:` section without mrr.csv is an error."""
    if "mrr" in paths:
        return
    if not paths:
        raise MetricsError(f"site.yaml has a metrics: section but there is no {METRICS_FOLDER}/mrr.csv",
                           folder / "mrr.csv", hint="add mrr.csv with 'month,mrr' rows, or remove metrics: "
                           "from site.yaml")
    raise MetricsError(f"{METRICS_FOLDER}/mrr.csv is missing", folder / "mrr.csv",
                       hint=f"{', '.join(sorted(p.name for p in paths.values()))} need it: every metric "
                       "page starts from MRR; add it with 'month,mrr' rows")


def metrics_root(config: SiteConfig) -> Path:
    """Return the folder metrics files must stay inside: the site, or the `metrics_dir` given explicitly."""
    return config.metrics_dir if config.metrics_dir is not None else config.root


def find_metrics_file(config: SiteConfig, name: str) -> Path | None:
    """Return metrics/<name> matched case-insensitively; raise MetricsError when it links outside the site."""
    folder = config.metrics_folder
    if not folder.is_dir():
        return None
    path = next((p for p in _listing(folder) if p.name.lower() == name), None)
    if path is not None and not is_inside(path, metrics_root(config)):
        raise MetricsError(diagnostics=[outside_problem(path, metrics_root(config))])
    return path if path is not None and path.is_file() else None


def _listing(folder: Path) -> list[Path]:
    """Return the files of the metrics folder; an unreadable folder is an error, never a traceback (issue 22)."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        raise MetricsError(f"cannot read the metrics folder: {exc.strerror or exc}", folder,
                           hint="check the folder's permissions (metrics_dir, --metrics-dir or "
                                "OPENSITE_METRICS_DIR names it)") from None


def _find_files(folder: Path, custom_files: set[str], root: Path) -> tuple[dict[str, Path], list[Diagnostic]]:
    """Return the input files present (names matched case-insensitively) and warnings for unknown CSVs."""
    if not folder.is_dir():
        return {}, []
    if not is_inside(folder, root):
        raise MetricsError(diagnostics=[replace(outside_problem(folder, root), hint="copy the files into the site, "
                                                "or set metrics_dir: in site.yaml to read them from that folder")])
    known = [f"{stem}.csv" for stem in FILE_COLUMNS]
    paths: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    for path in _listing(folder):
        name = path.name.lower()
        if name.endswith(".csv") and not is_inside(path, root):
            problems.append(outside_problem(path, root))
        elif name in known and path.is_file():
            paths[name[:-4]] = path
        elif name.endswith(".csv") and name not in OTHER_FILES and name not in custom_files:
            hint = did_you_mean(name, known + list(OTHER_FILES)) or "known files: " + ", ".join(known + list(OTHER_FILES))
            problems.append(Diagnostic(f"{path.name} is not read by opensite", path, None, None, hint, "warning"))
    error = MetricsError.collect(p for p in problems if p.severity == "error")
    if error:
        raise error
    return paths, problems


def _empty_mrr(inputs: MetricInputs) -> list[Diagnostic]:
    """A header without rows leaves the site without a dashboard: say so rather than publish nothing silently."""
    if inputs.mrr.rows:
        return []
    return [Diagnostic("mrr.csv has a header but no rows, so the site has no metrics pages", inputs.mrr.path, None,
                       None, "add one row per month, e.g. 2024-03,12500", "warning")]


def _future_rows(inputs: MetricInputs, now: datetime) -> list[Diagnostic]:
    """Warn once per file about rows dated after the build month: they are left out until their month comes.

    A warning, not an error: a build with an older SOURCE_DATE_EPOCH (or a forecast row) must still work,
    and the site never shows a month that has not happened (the dashboard and the open data stop there).
    """
    month = date(now.year, now.month, 1)
    rows: list[tuple[Path, int, date]] = [(inputs.mrr.path, r.line, r.month) for r in inputs.mrr.rows]
    for file in (inputs.churn, inputs.cash):
        rows += [(file.path, r.line, r.month) for r in file.rows] if file is not None else []
    if inputs.costs is not None:
        rows += [(inputs.costs.path, line, m) for m, line in inputs.costs.lines.items()]
    by_file: dict[Path, list[tuple[int, date]]] = {}
    for path, line, row_month in sorted(rows, key=lambda r: (str(r[0]), r[1])):
        if row_month > month:
            by_file.setdefault(path, []).append((line, row_month))
    return [Diagnostic(
        f"{len(late)} row{'s are' if len(late) > 1 else ' is'} dated after the build month {month:%Y-%m} "
        f"({late[0][1]:%Y-%m}{f' to {late[-1][1]:%Y-%m}' if len(late) > 1 else ''}): not published until "
        "those months have happened", path, late[0][0], None,
        "metrics describe months that have happened: fix the year if it is a typo", "warning")
        for path, late in by_file.items()]


def _checks(inputs: MetricInputs, settings: MetricsConfig) -> list[Diagnostic]:
    problems = check_mrr_bridge(inputs.mrr, settings.bridge)
    if inputs.churn is not None:
        problems += check_customer_identity(inputs.churn, settings.customer_identity)
    return problems


def _publish_problems(settings: MetricsConfig, costs: CostsFile | None) -> list[Diagnostic]:
    """A rule for a cost category the data lacks is an error: a typo in `hidden` would publish the real one."""
    categories = list(costs.categories) if costs else []
    problems = []
    for metric_id, rule in settings.publish.items():
        if metric_id.startswith(COST_PREFIX) and metric_id[len(COST_PREFIX):] not in categories:
            valid = [COST_PREFIX + c for c in categories]
            problems.append(Diagnostic(
                f"metrics.publish names {metric_id!r}, but costs.csv has no such category",
                settings.source, rule.line, None, choice_hint(metric_id, valid) if valid else "costs.csv has no "
                "categories"))
    return problems


def _ordered(problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.column or 0))
