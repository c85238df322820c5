"""Where ``neo4j-admin database import`` spends its time, read from its own ``--verbose`` log.

Why: the importer is the largest single phase of a bulk load, and whether it can go faster depends
on which of its stages dominates (reading the nodes and encoding their properties, preparing the id
index, linking relationships, counting) and on what it costs before its first stage (the JVM
start, reading the config, creating the empty store), a fixed cost that a small load pays whole.
The verbose log prints each stage as ``<name>, started <UTC time>`` and ``Done in <duration>``;
the wall time between two stages (flushing the stores) is named ``after <stage>``. The log also
names the JIT compilers and arguments of the importer's JVM (and any ``JAVA_TOOL_OPTIONS`` it
picked up), so a bench shows that it runs with the default compilers (a C1-only setting inherited
from the environment, as the tests set, would slow a large import down).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

__all__ = ["ImportReport", "import_report"]

_STARTED: Final = re.compile(r"^([^\r\n]*?), started (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4})$", re.M)
#: A stage's name ends the text before ``, started``: capitalised words, arrows, ``1/1`` or ``1-2/2``. The importer
#: may print a warning without its line break just before (``…Suggested heap size is 1.000GiBNodes``).
_NAME: Final = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)*(?: (?:[A-Za-z]+|-->|<--|\d+(?:-\d+)?/\d+))*$")
_DONE: Final = re.compile(r"Done in ((?:\d+[a-z]+ ?)+)")
_UNITS: Final = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
#: The lines that say how the importer's JVM compiles: the JIT, its arguments, options from the environment.
_JVM: Final = re.compile(r"^(?:JIT compiler|VM Arguments|Picked up [A-Z_]+): .*$", re.M)
#: A gap between two stages shorter than this is counted in the stage before it (not worth a line).
_GAP: Final = 0.25


@dataclass
class ImportReport:
    """The importer's stages in order (name → wall seconds) and how its JVM compiled (its log's own lines)."""

    seconds: dict[str, float] = field(default_factory=dict)
    jvm: str = ""


def _duration(text: str) -> float:
    """``1m 2s 3ms`` → 62.003."""
    return sum(int(n) * _UNITS[unit] for n, unit in re.findall(r"(\d+)([a-z]+)", text))


def import_report(log: str, launched: float, ended: float) -> ImportReport:
    """The stages of one import from its verbose ``log``; ``launched``/``ended``: its process's Unix times.

    ``start`` is the time from the launch to the first stage (JVM, config, empty store); ``finish``
    what follows the last stage until the process ended. A log without stages (a failed or
    non-verbose run) gives only ``start``, the whole run.
    """
    report = ImportReport(jvm="; ".join(m.group(0).strip() for m in _JVM.finditer(log)))
    stages = list(_STARTED.finditer(log))
    if not stages:
        report.seconds["start"] = max(ended - launched, 0.0)
        return report
    begins = [datetime.strptime(s.group(2), "%Y-%m-%d %H:%M:%S.%f%z").timestamp() for s in stages]
    report.seconds["start"] = max(begins[0] - launched, 0.0)
    for i, stage in enumerate(stages):
        until = begins[i + 1] if i + 1 < len(stages) else ended
        tail = log[stage.end() : stages[i + 1].start() if i + 1 < len(stages) else len(log)]
        done = _DONE.search(tail)
        spent = min(_duration(done.group(1)), until - begins[i]) if done else until - begins[i]
        gap = until - begins[i] - spent
        spent += gap if gap < _GAP else 0.0
        name = (found.group(0) if (found := _NAME.search(stage.group(1).strip())) else stage.group(1)).strip()
        report.seconds[name] = report.seconds.get(name, 0.0) + max(spent, 0.0)
        if gap >= _GAP:
            key = "finish" if i + 1 == len(stages) else f"after {name}"
            report.seconds[key] = report.seconds.get(key, 0.0) + gap
    return report
