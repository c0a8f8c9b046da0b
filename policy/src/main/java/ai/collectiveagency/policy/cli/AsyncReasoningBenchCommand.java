package ai.collectiveagency.policy.cli;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.bench.AsyncReasoningBenchmark;
import ai.collectiveagency.policy.bench.BenchConfig;
import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.reasoning.AsyncReasoningPrompts;
import ai.collectiveagency.policy.reasoning.ReasoningIds;
import ai.collectiveagency.policy.reasoning.ReasoningText;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.djl.ndarray.NDManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./pipeline bench async-reasoning}: asynchronous reasoning against think-then-answer. */
@Command(name = "async-reasoning", mixinStandardHelpOptions = true,
        description = {"Time to the first answer token and total time of asynchronous reasoning"
                + " against think-then-answer, at fixed token budgets.",
                "Without --model: the random ~40M bench model of `bench policy`."})
final class AsyncReasoningBenchCommand implements Callable<Integer> {

    /** The question the runs answer when the model has a tokenizer. */
    static final String QUESTION = "Two farms share one river in a dry summer. The upstream farm"
            + " wants to dam it for its orchards; the downstream farm needs the flow for its"
            + " cattle. Propose a resolution both can accept.";

    @Option(names = "--model", paramLabel = "DIR",
            description = "Hugging Face model folder (default: the random bench model).")
    Path model;

    @Option(names = "--thinker-tokens", defaultValue = "512", paramLabel = "T",
            description = "Thinker tokens per run (default: ${DEFAULT-VALUE}).")
    int thinkerTokens;

    @Option(names = "--writer-tokens", defaultValue = "512", paramLabel = "W",
            description = "Writer tokens per run, more than T minus the check interval"
                    + " (default: ${DEFAULT-VALUE}).")
    int writerTokens;

    @Option(names = "--check-interval", defaultValue = "20", paramLabel = "N",
            description = "Thinker tokens between two checks (default: ${DEFAULT-VALUE}).")
    int checkInterval;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "R",
            description = "Timed runs per mode; medians are reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", description = "Print only the JSON line.")
    boolean json;

    @Override
    public Integer call() {
        AsyncReasoningBenchmark bench = new AsyncReasoningBenchmark(thinkerTokens, writerTokens,
                repeats);
        Map<String, Object> figures;
        if (model == null) {
            BenchConfig shape = BenchConfig.defaults();
            try (NDManager manager = OfflineEngine.manager();
                    Llama random = RandomWeights.model(shape.modelConfig(), 1, manager)) {
                figures = bench.run(DecodeWeights.of(random),
                        AsyncReasoningBenchmark.syntheticIds(shape.vocab(), checkInterval),
                        "random " + random.parameters().count() + " parameters ("
                                + shape.modelConfig() + ")");
            }
        } else {
            try (Policy policy = Policy.load(model)) {
                ReasoningIds ids = policy.hasTokenizer()
                        ? ReasoningText.of(policy, AsyncReasoningPrompts.defaults(),
                                checkInterval).ids(List.of(Message.user(QUESTION)))
                        : AsyncReasoningBenchmark.syntheticIds(policy.config().vocabSize(),
                                checkInterval);
                figures = bench.run(policy.decodeWeights(), ids, model.toString());
            }
        }
        if (!json) {
            printTable(figures);
        }
        System.out.println(JsonOutput.write(figures));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(Map<String, Object> figures) {
        System.out.println("model: " + figures.get("model"));
        System.out.printf("%-18s %10s %10s %12s%n", "mode", "ttft s", "total s", "tokens/s");
        for (String mode : List.of("async", "sequential")) {
            Map<String, Object> row = (Map<String, Object>) figures.get(mode);
            System.out.printf("%-18s %10s %10s %12s%n", mode, row.get("ttft_s"),
                    row.get("total_s"), row.get("tokens_per_s"));
        }
        System.out.println("first answer token " + figures.get("ttft_ratio")
                + "x sooner; total time " + figures.get("total_ratio") + "x of think-then-answer");
    }
}
