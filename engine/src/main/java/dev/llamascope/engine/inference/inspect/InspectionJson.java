package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.util.Locale;

/**
 * Writes an {@link Inspection} (and its logit lens) as one JSON object, streaming: the attention matrices of a
 * long text are tens of MB, too many for a tree of maps. Layout:
 * <pre>
 * {"config":{...}, "tokens":[{"pos","id","piece"}],
 *  "attention":[{"layer","head","kv_head","weights":[[row 0], [row 1], ...]}],     rows are causal: row q has q+1 keys
 *  "scores":[... the same with "scores" ...],                                       when recorded
 *  "predictions":[{"pos","entropy_bits","next":{"id","piece","prob","rank"}|null,"top_k":[{"id","piece","prob"}]}],
 *  "logit_lens":{"rows":["embedding","layer 0",...],
 *                "cells":[[{"id","piece","prob","final_prob","final_rank"} per position] per row],
 *                "final":[{"id","piece","settled_row"} per position]}}
 * </pre>
 */
public final class InspectionJson {
    private InspectionJson() {}

    public static void write(Appendable out, Inspection in, LogitLens lens, Tokenizer tok) throws IOException {
        ModelConfig c = in.config();
        out.append("{\"config\":{");
        out.append(String.format(Locale.ROOT, "\"dim\":%d,\"hidden_dim\":%d,\"n_layers\":%d,\"n_heads\":%d,\"n_kv_heads\":%d,"
                        + "\"head_size\":%d,\"vocab_size\":%d,\"seq_len\":%d},\n", c.dim(), c.hiddenDim(), c.nLayers(),
                c.nHeads(), c.nKvHeads(), c.headSize(), c.vocabSize(), c.seqLen()));
        out.append("\"tokens\":[");
        for (int i = 0; i < in.positions(); i++) {
            out.append(i == 0 ? "" : ",").append("{\"pos\":").append(Integer.toString(i)).append(",\"id\":")
                    .append(Integer.toString(in.tokens()[i])).append(",\"piece\":").append(quote(in.pieces().get(i))).append('}');
        }
        out.append("]");
        if (in.attention() != null) writeMatrices(out, "attention", "weights", in.attention(), c);
        if (in.scores() != null) writeMatrices(out, "scores", "scores", in.scores(), c);
        if (in.predictions() != null) {
            out.append(",\n\"predictions\":[");
            for (int p = 0; p < in.positions(); p++) {
                Prediction pr = in.predictions()[p];
                out.append(p == 0 ? "\n" : ",\n").append("{\"pos\":").append(Integer.toString(p))
                        .append(",\"entropy_bits\":").append(num(pr.entropyBits())).append(",\"next\":");
                if (pr.chosen() < 0) out.append("null");
                else out.append("{\"id\":").append(Integer.toString(pr.chosen())).append(",\"piece\":").append(quote(Inspector.label(tok, pr.chosen())))
                        .append(",\"prob\":").append(num(pr.chosenProb())).append(",\"rank\":").append(Integer.toString(pr.chosenRank())).append('}');
                out.append(",\"top_k\":[");
                for (int j = 0; j < pr.ids().length; j++) {
                    out.append(j == 0 ? "" : ",").append("{\"id\":").append(Integer.toString(pr.ids()[j])).append(",\"piece\":")
                            .append(quote(Inspector.label(tok, pr.ids()[j]))).append(",\"prob\":").append(num(pr.probs()[j])).append('}');
                }
                out.append("]}");
            }
            out.append("]");
        }
        if (lens != null) {
            out.append(",\n\"logit_lens\":{\"rows\":[");
            for (int r = 0; r < lens.rows(); r++) out.append(r == 0 ? "" : ",").append(quote(rowName(r)));
            out.append("],\"cells\":[");
            for (int r = 0; r < lens.rows(); r++) {
                out.append(r == 0 ? "\n[" : ",\n[");
                for (int p = 0; p < lens.positions(); p++) {
                    int t = lens.top(r, p, 0);
                    out.append(p == 0 ? "" : ",").append("{\"id\":").append(Integer.toString(t)).append(",\"piece\":")
                            .append(quote(Inspector.label(tok, t))).append(",\"prob\":").append(num(lens.topProb(r, p, 0)))
                            .append(",\"final_prob\":").append(num(lens.finalProb(r, p))).append(",\"final_rank\":")
                            .append(Integer.toString(lens.finalRank(r, p))).append('}');
                }
                out.append(']');
            }
            out.append("],\n\"final\":[");
            for (int p = 0; p < lens.positions(); p++) {
                int t = lens.finalToken(p);
                out.append(p == 0 ? "" : ",").append("{\"id\":").append(Integer.toString(t)).append(",\"piece\":")
                        .append(quote(Inspector.label(tok, t))).append(",\"settled_row\":").append(Integer.toString(lens.settledRow(p))).append('}');
            }
            out.append("]}");
        }
        out.append("}\n");
    }

    /** The lens row names: "embedding", then "layer 0" ... */
    public static String rowName(int row) {
        return row == 0 ? "embedding" : "layer " + (row - 1);
    }

    private static void writeMatrices(Appendable out, String key, String field, AttentionMatrix[][] m, ModelConfig c) throws IOException {
        out.append(",\n\"").append(key).append("\":[");
        int group = c.nHeads() / c.nKvHeads();
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < m.length; l++) {
            for (int h = 0; h < m[l].length; h++) {
                sb.setLength(0);
                sb.append(l + h == 0 ? "\n" : ",\n").append("{\"layer\":").append(l).append(",\"head\":").append(h)
                        .append(",\"kv_head\":").append(h / group).append(",\"").append(field).append("\":[");
                AttentionMatrix a = m[l][h];
                for (int q = 0; q < a.size(); q++) {
                    sb.append(q == 0 ? "[" : ",[");
                    for (int k = 0; k <= q; k++) sb.append(k == 0 ? "" : ",").append(num(a.get(q, k)));
                    sb.append(']');
                }
                sb.append("]}");
                out.append(sb);
            }
        }
        out.append("]");
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) return "null";
        return Float.toString((float) v);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        Json.quote(sb, s);
        return sb.toString();
    }
}
