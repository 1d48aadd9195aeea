package dev.llamascope.engine.cuda;

/**
 * The devices probe without the app: {@code java -cp llamascope-engine.jar dev.llamascope.engine.cuda.DevicesMain}
 * (the GPU harness runs it on machines that have only the engine jar). Exit code 0 whatever it finds.
 */
public final class DevicesMain {
    private DevicesMain() {}

    public static void main(String[] args) {
        GpuReport r = args.length > 0 ? CudaDevices.probe(HostSystem.current(), args[0]) : CudaDevices.probe(HostSystem.current());
        r.describe().forEach(System.out::println);
    }
}
