package ai.collectiveagency.scoring.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Positive and negative anchor sentences, embedded once: a text's closeness to the positive
 * anchors minus its closeness to the negative ones. The shipped {@code anchors/ca.json} holds
 * Collective-Agency resolutions against one-sided ones; users can write their own file
 * ({@code id}, {@code version}, {@code positive}, {@code negative}).
 */
public final class Anchors {

    /** The shipped Collective-Agency anchors on the class path. */
    static final String SHIPPED = "/anchors/ca.json";

    private final String id;
    private final String version;
    private final float[][] positive;
    private final float[][] negative;

    private Anchors(String id, String version, float[][] positive, float[][] negative) {
        this.id = id;
        this.version = version;
        this.positive = positive;
        this.negative = negative;
    }

    /** The anchors of {@code file}, or the shipped ones when it is null, embedded by
     *  {@code encoder}. */
    public static Anchors load(SentenceEncoder encoder, Path file) {
        JsonNode root = read(file);
        String source = file == null ? "anchors/ca.json" : file.toString();
        return new Anchors(root.path("id").asText("anchors"), root.path("version").asText("1"),
                encoder.embed(strings(root, "positive", source)),
                encoder.embed(strings(root, "negative", source)));
    }

    /** The anchors' name, e.g. {@code ca-anchors}. */
    public String id() {
        return id;
    }

    public String version() {
        return version;
    }

    /**
     * How close a unit-length embedding is to each side.
     *
     * @param toPositive mean cosine similarity to the positive anchors
     * @param toNegative mean cosine similarity to the negative anchors
     */
    public record Closeness(double toPositive, double toNegative) {

        /** Positive minus negative, in [-2, 2]. */
        public double margin() {
            return toPositive - toNegative;
        }
    }

    public Closeness closeness(float[] embedding) {
        return new Closeness(meanCosine(embedding, positive), meanCosine(embedding, negative));
    }

    private static double meanCosine(float[] text, float[][] anchors) {
        double sum = 0;
        for (float[] anchor : anchors) {
            sum += SentenceEncoder.cosine(text, anchor);
        }
        return sum / anchors.length;
    }

    private static JsonNode read(Path file) {
        ObjectMapper json = new ObjectMapper();
        try {
            if (file == null) {
                try (InputStream in = Anchors.class.getResourceAsStream(SHIPPED)) {
                    return json.readTree(in);
                }
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": no such anchors file");
            }
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read anchors " + file, e);
        }
    }

    private static List<String> strings(JsonNode root, String field, String source) {
        List<String> out = new ArrayList<>();
        root.path(field).forEach(node -> out.add(node.asText()));
        if (out.isEmpty()) {
            throw new IllegalArgumentException(source + ": needs a non-empty \"" + field
                    + "\" list of sentences");
        }
        return out;
    }
}
