package ai.collectiveagency.scoring.onnx;

import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An offline reward from a sentence encoder: a text's reward is its mean cosine similarity to
 * positive anchor sentences minus its mean similarity to negative ones, in [-2, 2]. The anchors
 * are a data file ({@code anchors/ca.json} ships: Collective-Agency resolutions against
 * one-sided ones); users can write their own. Cheap, deterministic and needs no endpoint, which
 * makes it the local demo's reward; a judge reads the text, this only measures closeness.
 */
public final class AnchorScorer implements Scorer {

    private final SentenceEncoder encoder;
    private final String id;
    private final String version;
    private final float[][] positive;
    private final float[][] negative;
    private final int batchSize;

    /**
     * @param anchors a JSON file ({@code id}, {@code version}, {@code positive}, {@code negative}
     *     lists of sentences), or null for the shipped {@code anchors/ca.json}
     */
    public AnchorScorer(SentenceEncoder encoder, Path anchors, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        JsonNode file = read(anchors);
        List<String> pos = strings(file, "positive", anchors);
        List<String> neg = strings(file, "negative", anchors);
        this.encoder = encoder;
        this.id = "embedding:" + file.path("id").asText("anchors");
        this.version = file.path("version").asText("1");
        this.positive = encoder.embed(pos);
        this.negative = encoder.embed(neg);
        this.batchSize = batchSize;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Scores score(List<ScoringInput> inputs) {
        List<Verdict> verdicts = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            List<String> texts = inputs.subList(from, Math.min(inputs.size(), from + batchSize))
                    .stream().map(ScoringInput::text).toList();
            for (float[] embedding : encoder.embed(texts)) {
                double toPositive = meanCosine(embedding, positive);
                double toNegative = meanCosine(embedding, negative);
                verdicts.add(new Verdict.Scored(toPositive - toNegative,
                        Map.of("positive", toPositive, "negative", toNegative)));
            }
        }
        return new Scores(verdicts, version);
    }

    private static double meanCosine(float[] text, float[][] anchors) {
        double sum = 0;
        for (float[] anchor : anchors) {
            double dot = 0;
            for (int d = 0; d < text.length; d++) {
                dot += text[d] * anchor[d];
            }
            sum += dot;
        }
        return sum / anchors.length;
    }

    private static JsonNode read(Path anchors) {
        ObjectMapper json = new ObjectMapper();
        try {
            if (anchors == null) {
                try (InputStream in = AnchorScorer.class.getResourceAsStream("/anchors/ca.json")) {
                    return json.readTree(in);
                }
            }
            if (!Files.isRegularFile(anchors)) {
                throw new IllegalArgumentException(anchors + ": no such anchors file");
            }
            return json.readTree(anchors.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read anchors " + anchors, e);
        }
    }

    private static List<String> strings(JsonNode file, String field, Path source) {
        List<String> out = new ArrayList<>();
        file.path(field).forEach(node -> out.add(node.asText()));
        if (out.isEmpty()) {
            throw new IllegalArgumentException((source == null ? "anchors/ca.json" : source)
                    + ": needs a non-empty \"" + field + "\" list of sentences");
        }
        return out;
    }
}
