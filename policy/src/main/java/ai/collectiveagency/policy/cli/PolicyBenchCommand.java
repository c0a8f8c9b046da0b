package ai.collectiveagency.policy.cli;

import ai.collectiveagency.policy.bench.BenchConfig;
import ai.collectiveagency.policy.bench.PolicyBenchmark;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./pipeline bench policy}: prefill, decode and training speed, each with its bound. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Prefill, decode and training speed of a random ~40M Llama, with bounds.")
final class PolicyBenchCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON file overriding the benchmark's settings (snake_case keys).")
    Path config;

    @Override
    public Integer call() {
        BenchConfig settings = config == null ? BenchConfig.defaults() : BenchConfig.read(config);
        try (NDManager manager = OfflineEngine.manager()) {
            System.out.println(JsonOutput.write(new PolicyBenchmark(settings).run(manager)));
        }
        return 0;
    }
}
