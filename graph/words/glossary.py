"""The words of the glossary's methods: what a measure rests on, where that is more than a citation.

A bare citation (``Burt 1992, Structural Holes``) is a proper name and stays in
:mod:`reports.glossary`; a method described in words (``degree centrality``) is said in the reader's
language here, with the citation inside it.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "method.degree": {"ja": "次数中心性（Freeman 1978）", "en": "degree centrality (Freeman 1978)"},
    "method.harmonic": {
        "ja": "調和中心性（Marchiori & Latora 2000）",
        "en": "harmonic centrality (Marchiori & Latora 2000)",
    },
    "method.core_number": {"ja": "k-コア分解（Seidman 1983）", "en": "k-core decomposition (Seidman 1983)"},
    "method.community": {"ja": "Louvain 法（Blondel et al. 2008）", "en": "Louvain method (Blondel et al. 2008)"},
    "method.participation": {
        "ja": "参加係数（Guimerà & Amaral 2005）",
        "en": "participation coefficient (Guimerà & Amaral 2005)",
    },
    "method.triple_helix": {
        "ja": "三次元の相互情報量（Leydesdorff 2003）",
        "en": "mutual information in three dimensions (Leydesdorff 2003)",
    },
    "method.jaccard": {
        "ja": "IPC/FI サブクラスの集合の Jaccard 係数（Jaccard 1901）",
        "en": "Jaccard similarity of IPC/FI subclass sets (Jaccard 1901)",
    },
}
