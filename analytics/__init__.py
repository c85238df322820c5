"""Pure analytics over the ipeco property graph (NetworkX in, plain JSON-ready dicts out; no I/O).

Modules: ``orggraph`` (the undirected organisation graph), ``centrality``, ``brokerage``,
``structure``, ``communities``, ``phases``, ``measures`` (``analyze_region``), ``gaps``
(``find_gaps``), ``compare`` (``compare_regions``), ``recommend`` (``recommend``,
``evaluate_time_split``), ``layout`` (the one seeded network layout every surface draws from),
``results`` (the typed results of the analysis service, defined once) and ``service`` (the one
analysis service). Findings are codes and values; their words are :mod:`graph.words`'.
"""
