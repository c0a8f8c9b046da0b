package ai.collectiveagency.policy.cli;

import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.scoring.TokenScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./pipeline logprobs}: teacher-forced log-probability of each next token. */
@Command(name = "logprobs", mixinStandardHelpOptions = true,
        description = "Print log p(ids[t+1] | ids[..t]) for each position of a token sequence.")
final class LogprobsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model folder.")
    Path model;

    @Option(names = "--ids", required = true, split = ",", paramLabel = "ID",
            description = "Token ids, comma-separated (at least two).")
    int[] ids;

    @Option(names = "--json", description = "Print one JSON object: ids, logprobs.")
    boolean json;

    @Override
    public Integer call() {
        if (ids.length < 2) {
            throw new IllegalArgumentException("--ids needs at least two token ids");
        }
        try (Llama llama = Llama.load(model)) {
            int vocab = llama.config().vocabSize();
            for (int id : ids) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("--ids: token id " + id
                            + " is outside the model's vocabulary [0, " + vocab + ")");
                }
            }
            int[] mask = new int[ids.length];
            Arrays.fill(mask, 1);
            float[] logprobs = new TokenScorer(llama).logprobs(new int[][] {ids},
                    new int[][] {mask})[0];
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("ids", ids);
                result.put("logprobs", logprobs);
                System.out.println(JsonOutput.write(result));
            } else {
                for (int t = 0; t < logprobs.length; t++) {
                    System.out.printf("%d\t%d\t%.6f%n", t + 1, ids[t + 1], logprobs[t]);
                }
            }
        }
        return 0;
    }
}
