package dev.llamascope.engine.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of training data: a token stream (pretokenized, plain text, or stories in JSON) that is cut into
 * windows, or conversations (instruction datasets) that become one loss-masked sequence each.
 */
public enum DataFormat {
    /** Decide from the file name and content ({@link FormatDetector}). */
    AUTO(false),
    /** llama2.c's pretokenized shards: little-endian uint16 token ids, no header (.u16, .bin). */
    TOKENS(false),
    /** Plain text: one document per non-empty line, or documents separated by {@code <|endoftext|>}. */
    TEXT(false),
    /** TinyStories-style JSON or JSONL: one story per record ("story", "text" or "content"). */
    JSONL(false),
    /** Alpaca: instruction, input, output. */
    ALPACA(true),
    /** BELLE: input (or instruction + input), output (or target). */
    BELLE(true),
    /** Vicuna/ShareGPT: conversations of {from: human|gpt|system, value}. */
    SHAREGPT(true),
    /** MOSS multi-turn chat: moss-003's chat.turn_N.{Human, MOSS}, or conversation[{human, assistant}]. */
    MOSS(true),
    /** Databricks Dolly: instruction, context, response. */
    DOLLY(true);

    private final boolean conversational;

    DataFormat(boolean conversational) {
        this.conversational = conversational;
    }

    /** Whether records are conversations (trained with a prompt template and loss masking). */
    public boolean conversational() {
        return conversational;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DataFormat parse(String s) {
        for (DataFormat f : values()) if (f.cliName().equalsIgnoreCase(s.trim())) return f;
        throw new IllegalArgumentException("unknown data format '" + s + "' (one of "
                + Arrays.stream(values()).map(DataFormat::cliName).collect(Collectors.joining(", ")) + ")");
    }
}
