// Parses Cypher with Neo4j's own Cypher 5 grammar (the ANTLR parser Neo4j 5.26 itself runs) and
// prints the syntax tree as one line of JSON per query, for graph/cypher_parser.py to judge.
//
// Protocol, one query per line on stdin: the query text, UTF-8, base64-encoded (so newlines and any
// character pass unharmed). Answer, one line on stdout:
//   {"tree": NODE}                      NODE = ["ruleName", NODE...] or "terminal text"
//   {"error": "line L column C: message"}
// Chains of single-child expression levels (expression, expression1 ... expression11) are collapsed,
// and so is a chain of single children that ends in one token (["variable", "n"]): they carry no
// meaning for the guard and would make the tree ten times larger.
// Compiled by graph/cypher_parser.py with javac against the jars `ipeco db start` resolves.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.neo4j.cypher.internal.parser.v5.Cypher5Lexer;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser;

public final class CypherTree {
    private static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message);
        }
    }

    private static final BaseErrorListener THROWING = new BaseErrorListener() {
        @Override
        public void syntaxError(Recognizer<?, ?> r, Object symbol, int line, int column, String msg,
                RecognitionException e) {
            throw new SyntaxError("line " + line + " column " + (column + 1) + ": " + msg);
        }
    };

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        String line;
        while ((line = in.readLine()) != null) {
            String answer;
            try {
                String query = new String(Base64.getDecoder().decode(line.trim()), StandardCharsets.UTF_8);
                StringBuilder sb = new StringBuilder(4096);
                sb.append("{\"tree\":");
                write(parse(query), sb);
                sb.append('}');
                answer = sb.toString();
            } catch (SyntaxError e) {
                answer = "{\"error\":" + quote(e.getMessage()) + "}";
            } catch (RuntimeException | StackOverflowError e) {
                answer = "{\"error\":" + quote("the parser gave up: " + e) + "}";
            }
            out.println(answer);
            out.flush();
        }
    }

    /** Fast SLL prediction first, full LL only when SLL fails (the standard two-stage ANTLR parse). */
    private static ParseTree parse(String query) {
        Cypher5Lexer lexer = new Cypher5Lexer(CharStreams.fromString(query));
        lexer.removeErrorListeners();
        lexer.addErrorListener(THROWING);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        Cypher5Parser parser = new Cypher5Parser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new org.antlr.v4.runtime.BailErrorStrategy());
        try {
            return parser.statements();
        } catch (ParseCancellationException | SyntaxError e) {
            tokens.seek(0);
            parser.reset();
            parser.addErrorListener(THROWING);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            return parser.statements();
        }
    }

    private static boolean collapsible(ParserRuleContext ctx) {
        if (ctx.getChildCount() != 1) {
            return false;
        }
        String name = Cypher5Parser.ruleNames[ctx.getRuleIndex()];
        return name.startsWith("expression");
    }

    private static void write(ParseTree node, StringBuilder sb) {
        if (node instanceof ErrorNode) {
            throw new SyntaxError("unexpected '" + node.getText() + "'");
        }
        if (node instanceof TerminalNode) {
            sb.append(quote(node.getText()));
            return;
        }
        ParserRuleContext ctx = (ParserRuleContext) node;
        while (collapsible(ctx) && ctx.getChild(0) instanceof ParserRuleContext child) {
            ctx = child;
        }
        sb.append('[').append(quote(Cypher5Parser.ruleNames[ctx.getRuleIndex()]));
        ParseTree leaf = ctx;
        while (leaf.getChildCount() == 1 && !(leaf instanceof TerminalNode)) {
            leaf = leaf.getChild(0);
        }
        if (leaf instanceof TerminalNode && leaf != ctx && !(leaf instanceof ErrorNode)) {
            sb.append(',').append(quote(leaf.getText())).append(']');
            return;
        }
        for (int i = 0; i < ctx.getChildCount(); i++) {
            ParseTree child = ctx.getChild(i);
            if (child instanceof TerminalNode t && t.getSymbol().getType() == Cypher5Parser.EOF) {
                continue;
            }
            sb.append(',');
            write(child, sb);
        }
        sb.append(']');
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
