package dev.llamascope.app.ui.concurrent;

import dev.llamascope.engine.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failure of engine work into the one line a user reads (never a stack trace). */
public final class ErrorText {
    private ErrorText() {}

    /** The failure behind CompletableFuture's wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }

    public static boolean isCancellation(Throwable t) {
        return unwrap(t) instanceof CancellationException;
    }

    public static String describe(Throwable t) {
        t = unwrap(t);
        if (t instanceof ModelFormatException) return t.getMessage();
        if (t instanceof NoSuchFileException e) return e.getFile() + ": no such file";
        if (t instanceof AccessDeniedException e) return e.getFile() + ": permission denied";
        if (t instanceof IOException e) return e.getMessage() != null ? e.getMessage() : "input/output error";
        if (t instanceof IllegalArgumentException e && e.getMessage() != null) return e.getMessage();
        if (t instanceof OutOfMemoryError) return "out of memory (the model is too large for the Java heap or address space)";
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
