package dev.llamascope.engine.catalog;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One file of a catalog entry: where it comes from and what it must be.
 *
 * @param path     where it goes, relative to the entry's folder ("stories15M.bin"); tokenizers are stored as
 *                 tokenizer.bin so that the loader finds them beside the checkpoint without -z
 * @param role     what the file is for
 * @param url      http(s) address to fetch it from
 * @param size     exact size in bytes, or -1 when the catalog does not know it
 * @param sha256   lowercase hex SHA-256 of the file, or null when unknown
 * @param verified whether size and sha256 were confirmed against the official source; when false the
 *                 downloader reports a mismatch as a warning instead of rejecting the file
 * @param note     where the values come from (shown in reports), may be empty
 */
public record CatalogFile(String path, Role role, URI url, long size, String sha256, boolean verified, String note) {

    /** What a file of an entry is for. */
    public enum Role {
        MODEL, TOKENIZER, OTHER;

        static Role parse(String s) {
            for (Role r : values()) if (r.name().equalsIgnoreCase(s)) return r;
            throw new IllegalArgumentException("'role' should be model, tokenizer or other, not '" + s + "'");
        }
    }

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]*");

    public CatalogFile {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("'path' is missing");
        // The path comes from a downloaded or edited JSON file: it must stay inside the entry's folder.
        for (String seg : path.split("/", -1)) {
            if (!SAFE_SEGMENT.matcher(seg).matches() || seg.equals("..") || seg.equals("."))
                throw new IllegalArgumentException("'path' " + path + " is not a plain relative file name");
        }
        if (role == null) throw new IllegalArgumentException("'role' is missing");
        if (url == null) throw new IllegalArgumentException("'url' is missing");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null)
            throw new IllegalArgumentException("'url' " + url + " is not an http(s) address");
        if (size < -1 || size == 0) throw new IllegalArgumentException("'size' should be a positive number of bytes (or absent)");
        if (sha256 != null && !HEX64.matcher(sha256).matches())
            throw new IllegalArgumentException("'sha256' should be 64 lowercase hex digits");
        if (verified && (sha256 == null || size < 0))
            throw new IllegalArgumentException("a verified file needs both 'size' and 'sha256'");
        note = note == null ? "" : note;
    }

    public boolean sizeKnown() {
        return size > 0;
    }

    /** The last path segment, for messages. */
    public String fileName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
