"""The words that join other words: list separators, brackets, labels, amounts, "and n more".

Japanese and English punctuate differently (``、`` and ``, ``; ``（…）`` and `` (…)``; ``：`` and
``: ``), so a phrase built from names is built with these forms rather than with punctuation in the
code, which would put Japanese marks into English pages or the reverse.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "form.list": {"ja": "、", "en": ", "},
    "form.tight_list": {"ja": "・", "en": ", "},
    "form.semicolon_list": {"ja": "、", "en": "; "},
    "form.paren": {"ja": "{text}（{detail}）", "en": "{text} ({detail})"},
    "form.labelled": {"ja": "{label}：{text}", "en": "{label}: {text}"},
    "form.more": {"ja": "{text} ほか{n}", "en": "{text} and {n} more"},
    "form.yen.large": {"ja": "{oku}億円", "en": "¥{millions}M"},
    "form.yen.small": {"ja": "{man}万円", "en": "¥{millions}M"},
    "form.ci95": {"ja": "{label}：95%区間", "en": "{label}: 95% interval"},
    "lang.endonym.ja": {"ja": "日本語", "en": "日本語"},
    "lang.endonym.en": {"ja": "English", "en": "English"},
}
