package ai.collectiveagency.policy.cli;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.tokenizer.Message;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./pipeline generate}: one continuation of a prompt, with per-token log-probs. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a continuation of a prompt with a Hugging Face model folder.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model folder (config.json, *.safetensors, tokenizer).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Raw text prompt.")
        String prompt;

        @Option(names = "--chat", paramLabel = "TEXT",
                description = "A user message, rendered with the model's chat template.")
        String chat;

        @Option(names = "--prompt-ids", split = ",", paramLabel = "ID",
                description = "Prompt token ids, comma-separated.")
        int[] promptIds;
    }

    @Option(names = "--max-new-tokens", defaultValue = "64", paramLabel = "N")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "P")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K")
    int topK;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S")
    long seed;

    @Option(names = "--greedy", description = "Always take the likeliest token.")
    boolean greedy;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop string (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object: ids, text, logprobs.")
    boolean json;

    @Override
    public Integer call() {
        SamplingParams params = new SamplingParams(maxNewTokens, greedy ? 0 : temperature,
                topP, topK, seed);
        try (Policy policy = Policy.load(model)) {
            int[] prompt = input.promptIds != null ? input.promptIds
                    : input.chat != null ? policy.encodeChat(List.of(Message.user(input.chat)))
                    : policy.encode(input.prompt);
            Generation out = policy.generate(List.of(prompt), params, stop).get(0);
            String text = policy.hasTokenizer() ? policy.decode(out.tokenIds()) : null;
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("ids", out.tokenIds());
                if (text != null) {
                    result.put("text", text);
                }
                result.put("logprobs", out.logprobs());
                result.put("finish_reason", out.finishReason().name().toLowerCase());
                System.out.println(JsonOutput.write(result));
            } else {
                System.out.println(text != null ? text : JsonOutput.join(out.tokenIds()));
            }
        }
        return 0;
    }
}
