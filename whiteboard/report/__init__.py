"""The static HTML report of the experiments (a layer above :mod:`whiteboard.experiments`).

    from whiteboard.report import build_report
    build_report("report", quick=True, n_jobs=2)        # -> report/index.html

or ``whiteboard report --quick --out report``. See :mod:`whiteboard.report.site` for the pages.
"""

from .site import build_report, write_site

__all__ = ["build_report", "write_site"]
