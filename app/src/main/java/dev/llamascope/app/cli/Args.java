package dev.llamascope.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser with exactly the flags a command declares: options that take a value
 * ({@code -t 0.8}, {@code --top-k 40}, {@code --top-k=40}), switches ({@code --ids}) and positional arguments.
 * Anything else is a {@link UsageException} naming the offending word.
 */
public final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> switches = new HashSet<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param valueOptions options that take a value (aliases separated by '|', e.g. "-z|--tokenizer")
     * @param switchOptions options without a value
     */
    public Args(String[] args, int from, List<String> valueOptions, List<String> switchOptions) throws UsageException {
        Map<String, String> canonical = new HashMap<>();
        Set<String> isSwitch = new HashSet<>();
        for (String o : valueOptions) for (String a : o.split("\\|")) canonical.put(a, o.split("\\|")[0]);
        for (String o : switchOptions) for (String a : o.split("\\|")) {
            canonical.put(a, o.split("\\|")[0]);
            isSwitch.add(a);
        }
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                String name = a, inline = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    inline = a.substring(eq + 1);
                }
                String key = canonical.get(name);
                if (key == null) throw new UsageException("unknown option " + name);
                if (isSwitch.contains(name)) {
                    switches.add(key);
                } else {
                    if (inline == null) {
                        if (i + 1 >= args.length) throw new UsageException("option " + name + " needs a value");
                        inline = args[++i];
                    }
                    values.put(key, inline);
                }
            } else {
                positional.add(a);
            }
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public List<String> positional() {
        return positional;
    }

    public String positional(int i, String what) throws UsageException {
        if (i >= positional.size()) throw new UsageException("missing " + what);
        return positional.get(i);
    }

    public void maxPositional(int n) throws UsageException {
        if (positional.size() > n) throw new UsageException("unexpected argument " + positional.get(n));
    }

    public boolean has(String key) {
        return values.containsKey(key) || switches.contains(key);
    }

    public String string(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    public Path path(String key) {
        String v = values.get(key);
        return v == null ? null : Path.of(v);
    }

    public int integer(String key, int dflt) throws UsageException {
        String v = values.get(key);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(key + " wants a whole number, got '" + v + "'");
        }
    }

    public long longValue(String key, long dflt) throws UsageException {
        String v = values.get(key);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(key + " wants a whole number, got '" + v + "'");
        }
    }

    public float number(String key, float dflt) throws UsageException {
        String v = values.get(key);
        if (v == null) return dflt;
        try {
            float f = Float.parseFloat(v.trim());
            if (Float.isNaN(f)) throw new NumberFormatException();
            return f;
        } catch (NumberFormatException e) {
            throw new UsageException(key + " wants a number, got '" + v + "'");
        }
    }

    public boolean flag(String key) {
        return switches.contains(key);
    }

    /** A wrong command line: the message is shown with the command's usage, exit code 2. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }
}
