/* ipeco analyst console: a small Cypher highlighter for the editor overlay (no dependencies).
 * The query page's clientside callback calls it on every edit; it returns Dash components (spans),
 * so the <pre> behind the transparent <textarea> shows the same text in colour. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    ipeco: Object.assign({}, (window.dash_clientside || {}).ipeco, {
        highlightCypher: function (text) {
            const KEYWORDS = new Set([
                "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "ORDER", "BY", "SKIP", "LIMIT",
                "DISTINCT", "AS", "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "CASE", "WHEN",
                "THEN", "ELSE", "END", "EXISTS", "COUNT", "COLLECT", "CALL", "YIELD", "UNION", "ALL", "ASC", "DESC",
                "ASCENDING", "DESCENDING", "STARTS", "ENDS", "CONTAINS", "CREATE", "MERGE", "SET", "DELETE",
                "DETACH", "REMOVE", "FOREACH", "LOAD", "CSV", "FROM", "USE", "SHOW", "EXPLAIN", "PROFILE", "ON",
            ]);
            // comment | string | $param | number | :Label / :TYPE | word
            const re = new RegExp([
                "(\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?(?:\\*\\/|$))",
                "('(?:[^'\\\\\\n]|\\\\.)*'?|\"(?:[^\"\\\\\\n]|\\\\.)*\"?)",
                "(\\$[A-Za-z_][A-Za-z0-9_]*)",
                "(\\b\\d+(?:\\.\\d+)?\\b)",
                "(:`[^`]*`?|:[A-Za-z_][A-Za-z0-9_]*)",
                "([A-Za-z_][A-Za-z0-9_]*)",
            ].join("|"), "g");
            const span = (cls, s) => ({
                type: "Span", namespace: "dash_html_components", props: {className: cls, children: s},
            });
            const classes = [null, "tok-comment", "tok-string", "tok-param", "tok-number", "tok-label"];
            const out = [];
            let last = 0;
            let m;
            text = text || "";
            while ((m = re.exec(text)) !== null) {
                if (m.index > last) { out.push(text.slice(last, m.index)); }
                const group = m.findIndex((g, i) => i > 0 && g !== undefined);
                if (group >= 1 && group <= 5) {
                    out.push(span(classes[group], m[0]));
                } else if (KEYWORDS.has(m[0].toUpperCase())) {
                    out.push(span("tok-kw", m[0]));
                } else {
                    out.push(m[0]);
                }
                last = re.lastIndex;
            }
            // A trailing newline keeps the overlay as tall as the textarea when the text ends in one.
            out.push(text.slice(last) + "\n");
            return out;
        },
    }),
});
