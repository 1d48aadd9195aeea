package dev.llamascope.app.ui.viz;

/** Token pieces as labels: the leading space dropped, white space and line breaks made visible, long ones cut. */
public final class TokenText {
    private TokenText() {}

    public static String display(String piece) {
        if (piece == null) return "";
        if (piece.isBlank()) {
            StringBuilder sb = new StringBuilder();
            for (char ch : piece.toCharArray()) sb.append(ch == '\n' ? "↵" : ch == '\t' ? "⇥" : "␣");
            return sb.toString();
        }
        String s = piece.startsWith(" ") || piece.startsWith("\u2581") ? piece.substring(1) : piece;
        return s.replace("\n", "↵").replace("\t", "⇥").replace('\u2581', ' ');
    }

    /** At most max characters, with an ellipsis when cut. */
    public static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }

    /** For hover texts: the piece in quotes, spaces visible. */
    public static String quoted(String piece) {
        return "“" + piece.replace("\n", "↵") + "”";
    }
}
