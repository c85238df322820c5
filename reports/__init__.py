"""Regional briefs and the comparison of regions, as HTML, A4 PDF and XLSX.

The package sits beside the web app, not inside it: ``ipeco report`` writes a report without
importing ``webapp``, and the web app's report page calls the same functions. Its steps are one
module each: :mod:`reports.collect` (what a report states, as :mod:`reports.model` records, every
number from the analysis service), :mod:`reports.figure` (the network figure's geometry),
:mod:`reports.render` (Jinja2 templates with autoescape), :mod:`reports.sheets` (the same content
as spreadsheet rows) and :mod:`reports.files` (writing HTML, printing PDF with Chromium, saving
XLSX). :mod:`graph.words` is the one vocabulary, and :mod:`reports.palette` the role colours,
that the reports and the web app share.
"""
