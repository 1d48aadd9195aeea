package dev.llamascope.engine.data.diversity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Document lengths: equal-width bins of a round width, and the usual summary numbers.
 *
 * @param unit what is counted ("words")
 */
public record LengthHistogram(String unit, List<Bin> bins, long min, long max, double mean, long median, long p10, long p90) {

    /** Lengths in [from, to). */
    public record Bin(long from, long to, long count) {}

    public static LengthHistogram of(String unit, long[] lengths, int maxBins) {
        if (lengths.length == 0) return new LengthHistogram(unit, List.of(), 0, 0, 0, 0, 0, 0);
        long[] s = lengths.clone();
        Arrays.sort(s);
        long min = s[0], max = s[s.length - 1];
        double mean = Arrays.stream(s).average().orElse(0);
        long width = niceWidth(Math.max(1, (max + 1) / Math.max(1, maxBins) + ((max + 1) % Math.max(1, maxBins) == 0 ? 0 : 1)));
        long start = min / width * width;
        int n = (int) ((max - start) / width) + 1;
        long[] counts = new long[n];
        for (long v : s) counts[(int) ((v - start) / width)]++;
        List<Bin> bins = new ArrayList<>(n);
        for (int i = 0; i < n; i++) bins.add(new Bin(start + i * width, start + (i + 1) * width, counts[i]));
        return new LengthHistogram(unit, List.copyOf(bins), min, max, mean, quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9));
    }

    private static long quantile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
    }

    /** The smallest 1, 2 or 5 × 10^k at least w. */
    static long niceWidth(long w) {
        long p = 1;
        while (true) {
            for (long m : new long[]{1, 2, 5}) if (m * p >= w) return m * p;
            p *= 10;
        }
    }
}
