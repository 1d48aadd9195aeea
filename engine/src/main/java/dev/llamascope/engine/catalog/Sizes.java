package dev.llamascope.engine.catalog;

import java.util.Locale;

/** Byte counts for people, in decimal units as Hugging Face shows them ("60.8 MB"). */
public final class Sizes {
    private Sizes() {}

    public static String human(long bytes) {
        if (bytes < 0) return "?";
        if (bytes < 1000) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[i]);
    }

    /** An entry's download size: exact, a lower bound ("≥ 374 MB") when some file's size is unknown, or "?". */
    public static String of(CatalogEntry e) {
        if (e.sizeComplete()) return human(e.knownSize());
        return e.knownSize() > 0 ? "≥" + human(e.knownSize()) : "?";
    }
}
