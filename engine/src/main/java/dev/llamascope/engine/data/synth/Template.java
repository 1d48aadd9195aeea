package dev.llamascope.engine.data.synth;

import java.util.Map;

/** Fills "{name}" placeholders in one pass: text put in is never scanned again, unknown names stay as they are. */
final class Template {
    private Template() {}

    static String fill(String template, Map<String, String> values) {
        StringBuilder sb = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) break;
            int close = template.indexOf('}', open + 1);
            if (close < 0) break;
            String v = values.get(template.substring(open + 1, close));
            if (v == null) {
                sb.append(template, i, open + 1);
                i = open + 1;
            } else {
                sb.append(template, i, open).append(v);
                i = close + 1;
            }
        }
        return sb.append(template, i, template.length()).toString();
    }
}
