package dev.llamascope.app.cli;

import dev.llamascope.engine.cuda.CudaDevices;
import dev.llamascope.engine.cuda.GpuReport;
import dev.llamascope.engine.cuda.HostSystem;
import java.util.List;

/**
 * {@code devices}: what GPU training would run on here (the NVIDIA driver, each GPU's name, compute capability and
 * memory, cuBLAS), or why it cannot. Not finding a GPU is an answer, not an error: exit code 0 either way.
 */
public final class DevicesCommand implements Command {
    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String summary() {
        return "list the GPUs training can use, or why none is usable";
    }

    @Override
    public String usage() {
        return "llamascope devices [--driver LIBCUDA]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--driver"), List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            System.err.println("  --driver LIBCUDA  use this CUDA driver library (a path, or a name for the system loader)");
            return 0;
        }
        a.maxPositional(0);
        HostSystem host = HostSystem.current();
        String driver = a.string("--driver", null);
        GpuReport r = driver != null ? CudaDevices.probe(host, driver) : CudaDevices.probe(host);
        var out = Cli.utf8Stdout();
        for (String line : r.describe()) out.println(line);
        out.flush();
        return 0;
    }
}
