package ai.collectiveagency.policy.grpo;

import ai.collectiveagency.policy.fixtures.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One case of {@code grpo/cases.json}: inputs, hyper-parameters and TRL's expected outputs. */
record GrpoCase(
        String name,
        int groupSize,
        GrpoConfig config,
        double[][] logp,
        double[][] oldLogp,
        double[][] refLogp,
        double[][] mask,
        double[] rewards,
        double[] advantages,
        double loss,
        double meanKl,
        double clipFraction,
        double[][] gradLogp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every case of every fixture folder ({@link Fixtures#cases}). */
    static List<GrpoCase> all() {
        List<GrpoCase> cases = new ArrayList<>();
        for (Path folder : Fixtures.cases("grpo")) {
            cases.addAll(load(folder));
        }
        return cases;
    }

    static List<GrpoCase> load(Path folder) {
        JsonNode root;
        try {
            root = JSON.readTree(folder.resolve("cases.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<GrpoCase> cases = new ArrayList<>();
        JsonNode list = root.get("cases");
        for (int i = 0; i < list.size(); i++) {
            cases.add(parse(folder + "#" + i, list.get(i)));
        }
        return cases;
    }

    private static GrpoCase parse(String name, JsonNode c) {
        JsonNode expected = c.get("expected");
        GrpoConfig config = new GrpoConfig(
                c.get("beta").asDouble(),
                c.get("epsilon_low").asDouble(),
                c.get("epsilon_high").asDouble(),
                LossAggregation.valueOf(c.get("loss_type").asText().toUpperCase(Locale.ROOT)),
                c.get("max_completion_length").asInt(),
                RewardScaling.valueOf(c.get("scale_rewards").asText().toUpperCase(Locale.ROOT)));
        return new GrpoCase(name, c.get("G").asInt(), config,
                matrix(c.get("logp")), matrix(c.get("old_logp")), matrix(c.get("ref_logp")),
                matrix(c.get("mask")), vector(c.get("rewards")), vector(expected.get("advantages")),
                expected.get("loss").asDouble(), expected.get("mean_kl").asDouble(),
                expected.get("clip_fraction").asDouble(), matrix(expected.get("grad_logp")));
    }

    private static double[] vector(JsonNode node) {
        double[] values = new double[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = node.get(i).asDouble();
        }
        return values;
    }

    private static double[][] matrix(JsonNode node) {
        double[][] rows = new double[node.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = vector(node.get(i));
        }
        return rows;
    }

    @Override
    public String toString() {
        return name.substring(Math.max(0, name.lastIndexOf('/') + 1)) + " "
                + config.aggregation();
    }
}
