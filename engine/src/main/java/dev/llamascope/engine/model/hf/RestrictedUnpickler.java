package dev.llamascope.engine.model.hf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader that understands only what torch.save writes for a state dict and executes nothing: the
 * stack machine of protocols 2 to 5 for plain data (dicts, lists, tuples, strings, numbers), persistent ids naming
 * storages, and calls to an allow-list of functions, which it interprets itself: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and
 * {@code torch._tensor._rebuild_from_type_v2}. Storage classes ({@code torch.FloatStorage} ...) may be named.
 * Any other global (os.system, builtins.eval, ...) stops the reading with a {@link Refused} naming it.
 */
final class RestrictedUnpickler {
    /** The pickle asks for something outside the allow-list, or is malformed. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** A global the pickle named (allowed ones only). */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    record Tuple(List<Object> items) {}

    /** A storage named by a persistent id: its element type, its key (file name in the archive), its length. */
    record StorageRef(String dtype, String key, long numel) {}

    /** A tensor view of a storage: offset and strides in elements. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    private static final Map<String, String> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", "F32"), Map.entry("HalfStorage", "F16"), Map.entry("BFloat16Storage", "BF16"),
            Map.entry("DoubleStorage", "F64"), Map.entry("LongStorage", "I64"), Map.entry("IntStorage", "I32"),
            Map.entry("ShortStorage", "I16"), Map.entry("CharStorage", "I8"), Map.entry("ByteStorage", "U8"),
            Map.entry("BoolStorage", "BOOL"));

    private static final Object MARK = new Object();

    private final byte[] b;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private RestrictedUnpickler(byte[] b) {
        this.b = b;
    }

    static Object load(byte[] pickle) throws Refused {
        try {
            return new RestrictedUnpickler(pickle).run();
        } catch (IndexOutOfBoundsException | ClassCastException | ArithmeticException e) {
            throw new Refused("malformed pickle (" + e.getMessage() + ")");
        }
    }

    private Object run() throws Refused {
        while (true) {
            if (pos >= b.length) throw new Refused("truncated pickle: no STOP");
            int op = b[pos++] & 0xff;
            switch (op) {
                case 0x80 -> pos++; // PROTO
                case 0x95 -> pos += 8; // FRAME
                case '.' -> { return pop(); } // STOP
                case '(' -> stack.add(MARK);
                case '}' -> stack.add(new LinkedHashMap<Object, Object>());
                case ']' -> stack.add(new ArrayList<Object>());
                case ')' -> stack.add(new Tuple(List.of()));
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'K' -> stack.add((long) u8());
                case 'M' -> stack.add((long) (u8() | u8() << 8));
                case 'J' -> stack.add((long) i32());
                case 0x8a -> stack.add(longN(u8()));
                case 0x8b -> stack.add(longN(len(i32())));
                case 'G' -> {
                    long bits = 0;
                    for (int i = 0; i < 8; i++) bits = bits << 8 | u8();
                    stack.add(Double.longBitsToDouble(bits));
                }
                case 'X' -> stack.add(text(len(i32()), StandardCharsets.UTF_8));
                case 0x8c -> stack.add(text(u8(), StandardCharsets.UTF_8));
                case 0x8d -> stack.add(text(len(i64()), StandardCharsets.UTF_8));
                case 'T' -> stack.add(text(len(i32()), StandardCharsets.ISO_8859_1));
                case 'U' -> stack.add(text(u8(), StandardCharsets.ISO_8859_1));
                case 'B' -> stack.add(bytes(len(i32())));
                case 'C' -> stack.add(bytes(u8()));
                case 0x8e -> stack.add(bytes(len(i64())));
                case 'q' -> memo.put((long) u8(), top());
                case 'r' -> memo.put((long) i32() & 0xffffffffL, top());
                case 0x94 -> memo.put((long) memo.size(), top());
                case 'p' -> memo.put(Long.parseLong(line()), top());
                case 'h' -> stack.add(get(u8()));
                case 'j' -> stack.add(get((long) i32() & 0xffffffffL));
                case 'g' -> stack.add(get(Long.parseLong(line())));
                case 't' -> stack.add(new Tuple(popMark()));
                case 0x85 -> stack.add(new Tuple(listOf(pop())));
                case 0x86 -> { Object y = pop(), x = pop(); stack.add(new Tuple(listOf(x, y))); }
                case 0x87 -> { Object z = pop(), y = pop(), x = pop(); stack.add(new Tuple(listOf(x, y, z))); }
                case 'l' -> stack.add(new ArrayList<>(popMark()));
                case 'd' -> {
                    List<Object> kv = popMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
                    stack.add(m);
                }
                case 'a' -> { Object v = pop(); list(top()).add(v); }
                case 'e' -> { List<Object> items = popMark(); list(top()).addAll(items); }
                case 's' -> { Object v = pop(), k = pop(); dict(top()).put(k, v); }
                case 'u' -> {
                    List<Object> kv = popMark();
                    Map<Object, Object> m = dict(top());
                    for (int i = 0; i + 1 < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
                }
                case 'c' -> stack.add(global(line(), line()));
                case 0x93 -> { Object name = pop(), module = pop(); stack.add(global((String) module, (String) name)); }
                case 'R' -> { Object args = pop(), fn = pop(); stack.add(call(fn, (Tuple) args)); }
                case 'b' -> pop(); // BUILD: the state of an OrderedDict (its _metadata) or a tensor; not needed
                case 'Q' -> stack.add(persistent(pop()));
                case 0x81, 0x92 -> throw new Refused("the pickle creates an object of " + describe(stack.get(stack.size() - 2))
                        + " (NEWOBJ), which is not tensor data; refusing to load it");
                default -> throw new Refused("unsupported pickle opcode 0x" + Integer.toHexString(op) + " at byte " + (pos - 1)
                        + "; only plain data and tensor rebuilding are read");
            }
            if (stack.size() > 1_000_000) throw new Refused("pickle stack too deep");
        }
    }

    private Global global(String module, String name) throws Refused {
        Global g = new Global(module, name);
        boolean allowed = switch (g.qualified()) {
            case "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
                 "torch._tensor._rebuild_from_type_v2", "torch.nn.parameter.Parameter", "torch.Tensor" -> true;
            default -> module.equals("torch") && STORAGES.containsKey(name);
        };
        if (!allowed)
            throw new Refused("the pickle asks for '" + g.qualified() + "', which is not tensor data; refusing to load it"
                    + " (only torch tensor rebuilding is allowed, nothing in the file is executed)");
        return g;
    }

    private Object call(Object fn, Tuple args) throws Refused {
        if (!(fn instanceof Global g)) throw new Refused("the pickle calls " + describe(fn) + "; refusing to load it");
        List<Object> a = args.items();
        return switch (g.qualified()) {
            case "collections.OrderedDict" -> new LinkedHashMap<Object, Object>();
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef s)) throw new Refused("malformed _rebuild_tensor_v2 call");
                yield new TensorRef(s, (Long) a.get(1), longs(a.get(2)), longs(a.get(3)));
            }
            case "torch._utils._rebuild_parameter" -> a.get(0);
            case "torch._tensor._rebuild_from_type_v2" -> {
                if (a.size() < 3 || !(a.get(2) instanceof Tuple inner)) throw new Refused("malformed _rebuild_from_type_v2 call");
                yield call(a.get(0), inner);
            }
            default -> throw new Refused("the pickle calls '" + g.qualified() + "'; refusing to load it");
        };
    }

    /** torch's persistent id of a storage: ('storage', storage class, key, location, numel). */
    private Object persistent(Object pid) throws Refused {
        if (!(pid instanceof Tuple t) || t.items().size() < 5 || !"storage".equals(t.items().get(0)) || !(t.items().get(1) instanceof Global g))
            throw new Refused("unknown persistent id " + describe(pid));
        String dtype = STORAGES.get(g.name());
        if (dtype == null) throw new Refused("unknown storage type " + g.qualified());
        return new StorageRef(dtype, String.valueOf(t.items().get(2)), (Long) t.items().get(4));
    }

    private static long[] longs(Object o) throws Refused {
        if (!(o instanceof Tuple t)) throw new Refused("expected a tuple of sizes, got " + describe(o));
        long[] r = new long[t.items().size()];
        for (int i = 0; i < r.length; i++) r[i] = (Long) t.items().get(i);
        return r;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Global g ? "'" + g.qualified() + "'" : o.getClass().getSimpleName();
    }

    private static List<Object> listOf(Object... xs) {
        List<Object> l = new ArrayList<>(xs.length);
        for (Object x : xs) l.add(x);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws Refused {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw new Refused("APPEND to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) throws Refused {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw new Refused("SETITEM on " + describe(o));
    }

    private Object get(long key) throws Refused {
        if (!memo.containsKey(key)) throw new Refused("pickle memo key " + key + " is unset");
        return memo.get(key);
    }

    private Object pop() throws Refused {
        if (stack.isEmpty()) throw new Refused("pickle stack underflow at byte " + pos);
        Object o = stack.removeLast();
        if (o == MARK) throw new Refused("unexpected MARK at byte " + pos);
        return o;
    }

    private Object top() throws Refused {
        if (stack.isEmpty()) throw new Refused("pickle stack underflow at byte " + pos);
        return stack.getLast();
    }

    private List<Object> popMark() throws Refused {
        int m = stack.lastIndexOf(MARK);
        if (m < 0) throw new Refused("no MARK on the pickle stack at byte " + pos);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        while (stack.size() > m) stack.removeLast();
        return items;
    }

    private int u8() {
        return b[pos++] & 0xff;
    }

    private int i32() {
        int v = u8() | u8() << 8 | u8() << 16 | u8() << 24;
        return v;
    }

    private long i64() {
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (long) u8() << (8 * i);
        return v;
    }

    private int len(long n) throws Refused {
        if (n < 0 || n > b.length - pos) throw new Refused("pickle length " + n + " runs past its end");
        return (int) n;
    }

    private Object longN(int n) throws Refused {
        len(n);
        byte[] be = new byte[Math.max(1, n)];
        for (int i = 0; i < n; i++) be[n - 1 - i] = b[pos + i];
        pos += n;
        if (n == 0) return 0L;
        return new BigInteger(be).longValueExact();
    }

    private String text(int n, java.nio.charset.Charset cs) throws Refused {
        len(n);
        String s = new String(b, pos, n, cs);
        pos += n;
        return s;
    }

    private byte[] bytes(int n) throws Refused {
        len(n);
        byte[] r = java.util.Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return r;
    }

    private String line() throws Refused {
        int start = pos;
        while (pos < b.length && b[pos] != '\n') pos++;
        if (pos >= b.length) throw new Refused("truncated pickle line");
        return new String(b, start, pos++ - start, StandardCharsets.UTF_8);
    }
}
