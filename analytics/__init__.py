"""Pure analytics over the ipeco property graph (NetworkX in, plain JSON-ready dicts out; no I/O).

Modules: ``orggraph`` (the undirected organisation graph), ``centrality``, ``brokerage``,
``structure``, ``communities``, ``phases``, ``measures`` (``analyze_region``), ``gaps``
(``find_gaps``), ``compare`` (``compare_regions``), ``recommend`` (``recommend``,
``evaluate_time_split``) and ``synthetic`` (a seeded synthetic region for tests and benchmarks).
"""
