package dev.llamascope.engine.model.gguf;

/**
 * A GGUF metadata array: its element type (a {@link GgufFile} value type number) and the values in a primitive
 * Java array: long[] for every integer type (unsigned ones zero-extended), float[] for float32, double[] for
 * float64, boolean[], String[], or GgufArray[] for arrays of arrays.
 */
public record GgufArray(int elementType, Object values) {
    public int length() {
        return java.lang.reflect.Array.getLength(values);
    }

    public boolean isStrings() {
        return values instanceof String[];
    }

    public String[] strings() {
        return (String[]) values;
    }

    /** The values as floats (from float32, float64 or integer arrays), or null for other arrays. */
    public float[] floats() {
        if (values instanceof float[] f) return f;
        if (values instanceof double[] d) {
            float[] r = new float[d.length];
            for (int i = 0; i < d.length; i++) r[i] = (float) d[i];
            return r;
        }
        if (values instanceof long[] l) {
            float[] r = new float[l.length];
            for (int i = 0; i < l.length; i++) r[i] = l[i];
            return r;
        }
        return null;
    }

    /** The values of an integer array, or null. */
    public long[] longs() {
        return values instanceof long[] l ? l : null;
    }

    @Override
    public String toString() {
        return "array[" + length() + "]";
    }
}
