package dev.llamascope.app.cli;

import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;

/** {@code tokenize}: the ids of a text, BOS first, space-separated on one line. */
public final class TokenizeCommand implements Command {
    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "print the token ids of a text (BOS first)";
    }

    @Override
    public String usage() {
        return "llamascope tokenize -z TOKENIZER TEXT   (tokenizer.bin, tokenizer.json, tokenizer.model, a GGUF file or a model folder)";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("-z|--tokenizer"), List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        Path tok = a.path("-z");
        if (tok == null) throw new Args.UsageException("missing -z TOKENIZER");
        String text = String.join(" ", a.positional());
        Tokenizer t = ModelLoader.TokenizerLoader.read(tok);
        StringBuilder sb = new StringBuilder();
        for (int id : t.encode(text, true, false)) sb.append(sb.isEmpty() ? "" : " ").append(id);
        var out = Cli.utf8Stdout();
        out.println(sb);
        out.flush();
        return 0;
    }

}
