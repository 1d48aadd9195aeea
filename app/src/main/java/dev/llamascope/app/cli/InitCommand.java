package dev.llamascope.app.cli;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelShapes;
import java.nio.file.Path;
import java.util.List;

/** {@code init}: a random-weight version 0 checkpoint of a shape, for benchmarks and training from scratch. */
public final class InitCommand implements Command {
    @Override
    public String name() {
        return "init";
    }

    @Override
    public String summary() {
        return "write a random-weight checkpoint of a shape";
    }

    @Override
    public String usage() {
        return "llamascope init --shape stories15M|stories42M|stories110M|zh93M|dim=…,hidden=…,layers=…,heads=…,kv=…,vocab=…,seq=… [--seed S] -o FILE";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--shape", "--seed", "-o|--output"), List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        a.maxPositional(0);
        String shape = a.string("--shape", null);
        if (shape == null) throw new Args.UsageException("missing --shape");
        Path out = a.path("-o");
        if (out == null) throw new Args.UsageException("missing -o FILE");
        ModelConfig c = ModelShapes.parse(shape);
        FlatWeights w = FlatWeights.random(c, a.longValue("--seed", 1234));
        Llama2cCheckpoint.writeV0(out, w);
        System.err.printf("llamascope: wrote %s (%s, %,d parameters)%n", out, c, c.parameterCount());
        return 0;
    }
}
