package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.Conversation;
import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.StoriesJsonReader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes llama2.c's pretokenized shards: little-endian uint16 token ids, no header, each document as BOS followed
 * by its encoded text (llama2.c's {@code pretokenize}: {@code encode(text, bos=True, eos=False)}), documents in
 * input order. Documents are those the trainer reads: plain text's lines (or {@code <|endoftext|>}-separated
 * documents; read as a stream, so a text file may be larger than memory), TinyStories JSON/JSONL stories. Progress
 * is reported in bytes of the input.
 *
 * <p>Instruction and chat data become BOS + the conversation rendered by the prompt template + EOS after each answer,
 * exactly the tokens training on the file itself would see; but a .u16 file holds no loss mask, so the prompt part
 * is trained too. That is allowed (continued pretraining on instructions is a real use) and said in a note of the
 * result; to train on the answers only, train on the instruction file itself.
 *
 * <p>Shards: with {@code shardTokens > 0}, a shard is closed before the document that would take it past that many
 * tokens (a document longer than that gets a shard of its own), so no document is cut; shards are named
 * {@code PREFIX.000.u16}, {@code PREFIX.001.u16}, ... With {@code shardTokens <= 0} the output is one file,
 * {@code PREFIX.u16}. A trailing ".u16" on the prefix is dropped. All shards are renamed into place together at the
 * end, so an error or a cancel leaves no output.
 *
 * <p>Large inputs are encoded in parallel, in chunks of documents on a few threads, and written in input order, so
 * the output is the same whatever the thread count. Documents are encoded a word at a time through a cache where the
 * vocabulary allows it with the same result ({@link WordCachedEncoder}).
 */
public final class Pretokenizer {
    private Pretokenizer() {}

    /** The largest vocabulary whose ids fit in uint16 (ids 0..65535). */
    public static final int MAX_VOCABULARY = 65536;
    /** Below this input size (bytes) the work stays on the calling thread unless threads are asked for. */
    public static final long PARALLEL_BYTES = 1 << 20;
    static final int CHUNK_DOCS = 512;

    /** All documents; inputs of a megabyte or more on {@link #defaultThreads()} threads. */
    public static PrepResult pretokenize(Path in, DataFormat fmt, Tokenizer tok, PromptTemplate template, Path outPrefix, long shardTokens,
                                         PrepProgress p) throws IOException {
        return pretokenize(in, fmt, tok, template, outPrefix, shardTokens, 0, 0, p);
    }

    /**
     * @param fmt         the input's format, or {@link DataFormat#AUTO}
     * @param template    renders instruction/chat records (null means {@link PromptTemplate#ALPACA}); unused for documents
     * @param outPrefix   where to write: PREFIX.u16, or PREFIX.NNN.u16 shards
     * @param shardTokens at most this many tokens per shard (whole documents); 0 or less for one file
     * @param limit       only the first {@code limit} documents (0 or less: all)
     * @param threads     encoding threads (1 = the calling thread only); 0 or less: {@link #defaultThreads()} for inputs of
     *                    {@link #PARALLEL_BYTES} bytes or more, else 1
     * @throws IllegalArgumentException a vocabulary whose ids do not fit in uint16
     * @throws CancellationException    when {@code p} cancelled it (no output file is written)
     */
    public static PrepResult pretokenize(Path in, DataFormat fmt, Tokenizer tok, PromptTemplate template, Path outPrefix, long shardTokens,
                                         long limit, int threads, PrepProgress p) throws IOException {
        if (p == null) p = PrepProgress.NONE;
        if (tok == null) throw new IllegalArgumentException("pretokenizing needs a tokenizer");
        if (tok.size() > MAX_VOCABULARY)
            throw new IllegalArgumentException("the tokenizer " + tok.name() + " has " + tok.size() + " tokens: ids above 65535 do not fit in a"
                    + " .u16 file of uint16 ids (use a vocabulary of at most 65536 tokens)");
        final PromptTemplate t = template == null ? PromptTemplate.ALPACA : template;
        p.progress(0, -1, "reading");
        DataFormat f = Inputs.check(in, fmt);
        if (f == DataFormat.TOKENS) throw new DataFormatException(in, "is already a token file");
        long size = Files.size(in), max = limit > 0 ? limit : Long.MAX_VALUE;
        List<String> notes = new ArrayList<>();
        if (f.conversational())
            notes.add("a .u16 file has no loss mask: the prompt part of each " + f.cliName() + " conversation (rendered with the "
                    + t.name() + " template) is trained too; train on " + in.getFileName() + " itself to train on the answers only");
        int nThreads = threads > 0 ? threads : size >= PARALLEL_BYTES ? defaultThreads() : 1;
        String prefix = outPrefix.toString().endsWith(".u16") ? outPrefix.toString().substring(0, outPrefix.toString().length() - 4)
                : outPrefix.toString();
        Shards shards = new Shards(Path.of(prefix + ".u16"), shardTokens);
        ExecutorService pool = nThreads > 1 ? Executors.newFixedThreadPool(nThreads, r -> {
            Thread th = new Thread(r, "pretokenize");
            th.setDaemon(true);
            return th;
        }) : null;
        // each thread its own word cache (null where the vocabulary lets words merge: then whole texts are encoded)
        ThreadLocal<WordCachedEncoder> words = ThreadLocal.withInitial(() -> WordCachedEncoder.of(tok));
        ArrayDeque<Future<int[][]>> inFlight = new ArrayDeque<>();
        try (Source source = Source.open(in, f); PendingFiles files = new PendingFiles()) {
            Inputs.checkCancelled(p);
            shards.files = files;
            long read = 0;
            boolean more = true;
            while (true) {
                int[][] chunk;
                if (pool != null) {
                    while (more && inFlight.size() < 2 * nThreads) {
                        List<Object> items = source.next((int) Math.min(CHUNK_DOCS, max - read));
                        read += items.size();
                        more = !items.isEmpty() && read < max;
                        if (!items.isEmpty()) inFlight.add(pool.submit(() -> encode(items, t, tok, words.get())));
                    }
                    if (inFlight.isEmpty()) break;
                    chunk = get(inFlight.poll());
                } else {
                    List<Object> items = more ? source.next((int) Math.min(CHUNK_DOCS, max - read)) : List.of();
                    if (items.isEmpty()) break;
                    read += items.size();
                    more = read < max;
                    chunk = encode(items, t, tok, words.get());
                }
                for (int[] ids : chunk) shards.add(ids);
                p.progress(Math.min(size, source.bytesDone()), size, "tokenizing");
                if (p.cancelled()) throw new CancellationException("cancelled; no file was written");
            }
            List<PrepResult.Output> outputs = shards.finish(prefix);
            files.commit(outputs.stream().map(PrepResult.Output::path).toList());
            if (shards.oversized > 0)
                notes.add(shards.oversized + " document(s) longer than " + shardTokens + " tokens got a shard of their own");
            return new PrepResult(read, read, 0, "", outputs, notes);
        } finally {
            for (Future<?> fu : inFlight) fu.cancel(true);
            if (pool != null) pool.shutdownNow();
        }
    }

    /** Threads for large inputs: the cores, at most 4 (encoding is cheap next to reading and writing beyond that). */
    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** Documents (text) or conversations as token ids, BOS first. */
    private static int[][] encode(List<Object> items, PromptTemplate template, Tokenizer tok, WordCachedEncoder words) {
        int[][] out = new int[items.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i) instanceof String d ? (words != null ? words.encode(d) : tok.encode(d, true, false))
                    : template.encode((Conversation) items.get(i), tok).tokens();
        }
        return out;
    }

    /** Where the documents come from: a stream for plain text (any size), the parsed records for JSON. */
    private interface Source extends AutoCloseable {
        /** Up to {@code max} documents (String) or conversations, in order; empty after the last. */
        List<Object> next(int max) throws IOException;

        /** Bytes of the input behind what was handed out (for progress). */
        long bytesDone();

        @Override
        void close() throws IOException;

        static Source open(Path in, DataFormat f) throws IOException {
            if (f == DataFormat.TEXT) {
                TextDocumentStream s = new TextDocumentStream(in);
                return new Source() {
                    public List<Object> next(int max) throws IOException {
                        List<Object> out = new ArrayList<>(Math.min(max, CHUNK_DOCS));
                        String d;
                        while (out.size() < max && (d = s.next()) != null) out.add(d);
                        return out;
                    }

                    public long bytesDone() {
                        return s.bytesRead();
                    }

                    public void close() throws IOException {
                        s.close();
                    }
                };
            }
            List<?> all = f.conversational() ? ConversationReader.of(f).read(in) : StoriesJsonReader.documents(in);
            long size = Files.size(in);
            return new Source() {
                int at;

                public List<Object> next(int max) {
                    int to = (int) Math.min(all.size(), (long) at + max);
                    List<Object> out = new ArrayList<>(all.subList(at, to));
                    at = to;
                    return out;
                }

                public long bytesDone() {
                    return size * at / all.size();
                }

                public void close() {}
            };
        }
    }

    private static int[][] get(Future<int[][]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted; no file was written");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IOException(e.getCause());
        }
    }

    /** The shards being written: whole documents, a new shard before one that would not fit. */
    private static final class Shards {
        final Path nameLike;
        final long limit;
        PendingFiles files;
        PendingFiles.Pending current;
        long tokens, docs;
        int oversized;
        final List<long[]> counts = new ArrayList<>(); // {documents, tokens} per shard
        final byte[] buf = new byte[1 << 16];

        Shards(Path nameLike, long limit) {
            this.nameLike = nameLike;
            this.limit = limit;
        }

        void add(int[] ids) throws IOException {
            if (current == null || (limit > 0 && docs > 0 && tokens + ids.length > limit)) next();
            if (limit > 0 && ids.length > limit) oversized++;
            OutputStream out = current.out;
            int k = 0;
            for (int id : ids) {
                if (id < 0 || id >= MAX_VOCABULARY) throw new IllegalStateException("token id " + id + " does not fit in uint16");
                buf[k++] = (byte) id;
                buf[k++] = (byte) (id >>> 8);
                if (k == buf.length) {
                    out.write(buf, 0, k);
                    k = 0;
                }
            }
            out.write(buf, 0, k);
            tokens += ids.length;
            docs++;
        }

        private void next() throws IOException {
            close();
            current = files.open(nameLike);
            tokens = 0;
            docs = 0;
        }

        private void close() throws IOException {
            if (current == null) return;
            current.close();
            counts.add(new long[]{docs, tokens});
        }

        /** Closes the last shard; the final names, now that the count is known. */
        List<PrepResult.Output> finish(String prefix) throws IOException {
            if (current == null) next(); // no documents (limit 0 of an empty set cannot happen, but stay total)
            close();
            List<PrepResult.Output> out = new ArrayList<>();
            int width = Math.max(3, String.valueOf(counts.size() - 1).length());
            for (int i = 0; i < counts.size(); i++) {
                Path p = limit > 0 ? Path.of(prefix + "." + String.format(Locale.ROOT, "%0" + width + "d", i) + ".u16") : Path.of(prefix + ".u16");
                out.add(new PrepResult.Output(p, counts.get(i)[0], counts.get(i)[1]));
            }
            return out;
        }
    }
}
