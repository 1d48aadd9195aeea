package dev.llamascope.engine.util;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer (RFC 8259), enough for config files, tokenizer.json, catalogs, JSONL datasets
 * and HTTP APIs, so the engine needs no dependency. Values map to Java as: object → {@code Map<String,Object>}
 * (insertion-ordered), array → {@code List<Object>}, string → String, number → Long when integral and in range,
 * else Double, true/false → Boolean, null → null.
 */
public final class Json {
    private Json() {}

    /** A syntax error, with the character offset where it was found. */
    public static final class JsonException extends RuntimeException {
        private final int offset;

        public JsonException(String message) {
            this(message, -1);
        }

        public JsonException(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        /** The character offset of a syntax error in the parsed text, or -1 when the error has no place. */
        public int offset() {
            return offset;
        }
    }

    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.i != text.length()) throw p.error("unexpected text after the value");
        return v;
    }

    /** Parses and checks that the top level is an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new JsonException("expected a JSON object at the top level");
        return (Map<String, Object>) v;
    }

    /** Compact JSON for a value built from the types above (numbers of any Number type). */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    public static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) sb.append("null");
            else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append(d.longValue()).append(".0");
            else sb.append(d);
        } else if (v instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) sb.append("null");
            else sb.append(f);
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                if (!first) sb.append(',');
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else if (v instanceof int[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ",").append(a[i]);
            sb.append(']');
        } else if (v instanceof float[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ",").append(Float.isFinite(a[i]) ? Float.toString(a[i]) : "null");
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    private static final class Parser {
        private static final int MAX_DEPTH = 512;
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        JsonException error(String what) {
            return new JsonException("invalid JSON at character " + i + ": " + what, i);
        }

        void skipWs() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') i++;
                else break;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            if (i >= s.length()) throw error("unexpected end of input");
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) throw error("expected " + word);
            i += word.length();
            return v;
        }

        Map<String, Object> object(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skipWs();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                skipWs();
                if (i >= s.length() || s.charAt(i) != '"') throw error("expected a string key");
                String k = string();
                skipWs();
                if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':'");
                i++;
                skipWs();
                m.put(k, value(depth + 1));
                skipWs();
                if (i >= s.length()) throw error("unterminated object");
                char c = s.charAt(i++);
                if (c == '}') return m;
                if (c != ',') throw error("expected ',' or '}'");
            }
        }

        List<Object> array(int depth) {
            List<Object> a = new ArrayList<>();
            i++;
            skipWs();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return a;
            }
            while (true) {
                skipWs();
                a.add(value(depth + 1));
                skipWs();
                if (i >= s.length()) throw error("unterminated array");
                char c = s.charAt(i++);
                if (c == ']') return a;
                if (c != ',') throw error("expected ',' or ']'");
            }
        }

        String string() {
            i++; // opening quote
            StringBuilder sb = null;
            int start = i;
            while (true) {
                if (i >= s.length()) throw error("unterminated string");
                char c = s.charAt(i);
                if (c == '"') {
                    String r = sb == null ? s.substring(start, i) : sb.append(s, start, i).toString();
                    i++;
                    return r;
                }
                if (c < 0x20) throw error("control character in string");
                if (c == '\\') {
                    if (sb == null) sb = new StringBuilder();
                    sb.append(s, start, i);
                    i++;
                    if (i >= s.length()) throw error("unterminated escape");
                    char e = s.charAt(i++);
                    switch (e) {
                        case '"' -> sb.append('"');
                        case '\\' -> sb.append('\\');
                        case '/' -> sb.append('/');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (i + 4 > s.length()) throw error("short \\u escape");
                            try {
                                sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw error("bad \\u escape");
                            }
                            i += 4;
                        }
                        default -> throw error("bad escape \\" + e);
                    }
                    start = i;
                } else {
                    i++;
                }
            }
        }

        Object number() {
            int start = i;
            if (s.charAt(i) == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            boolean integral = true;
            if (i < s.length() && s.charAt(i) == '.') {
                integral = false;
                i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                integral = false;
                i++;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            }
            String t = s.substring(start, i);
            if (t.equals("-") || t.isEmpty()) throw error("bad number");
            try {
                if (integral) {
                    BigDecimal bd = new BigDecimal(t);
                    if (bd.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) return bd.longValueExact();
                }
                return Double.parseDouble(t);
            } catch (NumberFormatException | ArithmeticException e) {
                throw error("bad number " + t);
            }
        }
    }

    // Typed accessors for config-style objects: a clear message instead of a ClassCastException.

    public static String string(Map<String, Object> o, String key, String dflt) {
        Object v = o.get(key);
        if (v == null) return dflt;
        if (!(v instanceof String s)) throw new JsonException("'" + key + "' should be a string");
        return s;
    }

    public static long integer(Map<String, Object> o, String key, long dflt) {
        Object v = o.get(key);
        if (v == null) return dflt;
        if (v instanceof Long l) return l;
        if (v instanceof Double d && d == Math.rint(d)) return d.longValue();
        throw new JsonException("'" + key + "' should be a whole number");
    }

    public static double number(Map<String, Object> o, String key, double dflt) {
        Object v = o.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n) return n.doubleValue();
        throw new JsonException("'" + key + "' should be a number");
    }

    public static boolean bool(Map<String, Object> o, String key, boolean dflt) {
        Object v = o.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        throw new JsonException("'" + key + "' should be true or false");
    }
}
