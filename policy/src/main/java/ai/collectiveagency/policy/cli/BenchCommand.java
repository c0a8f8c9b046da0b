package ai.collectiveagency.policy.cli;

import ai.collectiveagency.policy.bench.BenchConfig;
import ai.collectiveagency.policy.bench.PolicyBenchmark;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./pipeline bench policy}: speed figures as JSON, each with its bound. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a component and print JSON figures (components: policy).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "What to measure: policy.")
    String component;

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON file overriding the benchmark's settings (snake_case keys).")
    Path config;

    @Override
    public Integer call() {
        if (!component.equals("policy")) {
            throw new IllegalArgumentException("unknown component '" + component
                    + "' (known: policy)");
        }
        BenchConfig settings = config == null ? BenchConfig.defaults() : BenchConfig.read(config);
        try (NDManager manager = OfflineEngine.manager()) {
            System.out.println(JsonOutput.write(new PolicyBenchmark(settings).run(manager)));
        }
        return 0;
    }
}
