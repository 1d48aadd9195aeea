package dev.llamascope.engine.data;

import java.util.Locale;

/** The order rows visit the units: in order, wrapping around (golden/'s "sequential"), or a seeded shuffle per epoch. */
public enum DataOrder {
    SEQUENTIAL, SHUFFLE;

    public static DataOrder parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "sequential" -> SEQUENTIAL;
            case "shuffle" -> SHUFFLE;
            default -> throw new IllegalArgumentException("unknown data order '" + s + "' (sequential or shuffle)");
        };
    }
}
