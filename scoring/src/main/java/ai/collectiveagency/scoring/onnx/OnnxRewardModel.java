package ai.collectiveagency.scoring.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sequence-scoring reward model exported to ONNX, with its Hugging Face {@code tokenizer.json}:
 * inputs {@code input_ids} and {@code attention_mask} (int64 [batch, seq]), optionally
 * {@code token_type_ids} (all 0), output {@code logits} [batch, 1], one score per text. Texts are
 * scored in batches, right-padded with attention 0. The folder is checked when loaded: a missing
 * file, an unexpected input name or an output of another shape fails with a message naming it.
 *
 * <pre>{@code
 * try (OnnxRewardModel model = OnnxRewardModel.load(Path.of("reward-model"), 512, 1)) {
 *     float[] scores = model.score(List.of("both sides gain", "one side wins"));
 * }
 * }</pre>
 */
public final class OnnxRewardModel implements AutoCloseable {

    /** The model file inside a reward model folder. */
    public static final String MODEL_FILE = "model.onnx";
    /** The tokenizer file inside a reward model folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final Set<String> KNOWN_INPUTS =
            Set.of("input_ids", "attention_mask", "token_type_ids");

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;
    private final String output;
    private final int maxTokens;
    private final String fingerprint;

    private OnnxRewardModel(OrtEnvironment environment, OrtSession session,
            HuggingFaceTokenizer tokenizer, boolean typeIds, String output, int maxTokens,
            String fingerprint) {
        this.fingerprint = fingerprint;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.typeIds = typeIds;
        this.output = output;
        this.maxTokens = maxTokens;
    }

    /**
     * Loads {@code folder/model.onnx} and {@code folder/tokenizer.json}.
     *
     * @param maxTokens texts longer than this are cut to their first {@code maxTokens} tokens
     * @param threads ONNX Runtime intra-op threads (0: the runtime's default)
     * @throws IllegalArgumentException naming the file or the input/output that does not fit
     */
    public static OnnxRewardModel load(Path folder, int maxTokens, int threads) {
        Path model = folder.resolve(MODEL_FILE);
        Path tokenizerFile = folder.resolve(TOKENIZER_FILE);
        for (Path file : List.of(model, tokenizerFile)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": missing (an ONNX reward model folder "
                        + "holds " + MODEL_FILE + " and " + TOKENIZER_FILE + ")");
            }
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be >= 1, was " + maxTokens);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            session = environment.createSession(model.toString(), options);
            Map<String, NodeInfo> inputs = session.getInputInfo();
            checkInputs(model, inputs);
            String output = checkOutput(model, session.getOutputInfo());
            HuggingFaceTokenizer tokenizer = loadTokenizer(tokenizerFile);
            return new OnnxRewardModel(environment, session, tokenizer,
                    inputs.containsKey("token_type_ids"), output, maxTokens, fingerprint(model));
        } catch (OrtException e) {
            close(session);
            throw new IllegalArgumentException(model + ": ONNX Runtime cannot load it: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(session);
            throw e;
        }
    }

    /** The first 12 hex digits of model.onnx's SHA-256: which weights scored. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Token ids of {@code text}, as the model sees it (cut to {@code maxTokens}). */
    public long[] tokenize(String text) {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        return ids.length <= maxTokens ? ids : Arrays.copyOf(ids, maxTokens);
    }

    /** One score per text, in order. */
    public float[] score(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0];
        }
        long[][] ids = texts.stream().map(this::tokenize).toArray(long[][]::new);
        return EncoderBatch.run(environment, session, ids, typeIds, output, value -> {
            float[][] logits = (float[][]) value; // (batch, 1)
            float[] scores = new float[logits.length];
            for (int b = 0; b < logits.length; b++) {
                scores[b] = logits[b][0];
            }
            return scores;
        });
    }

    @Override
    public void close() {
        tokenizer.close();
        close(session);
    }

    private static void checkInputs(Path model, Map<String, NodeInfo> inputs) {
        for (String required : List.of("input_ids", "attention_mask")) {
            if (!inputs.containsKey(required)) {
                throw new IllegalArgumentException(model + ": has no input '" + required
                        + "'; its inputs are " + inputs.keySet());
            }
        }
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            if (!KNOWN_INPUTS.contains(input.getKey())) {
                throw new IllegalArgumentException(model + ": unexpected input '" + input.getKey()
                        + "'; a reward model takes " + KNOWN_INPUTS);
            }
            if (!(input.getValue().getInfo() instanceof TensorInfo tensor)
                    || tensor.getShape().length != 2) {
                throw new IllegalArgumentException(model + ": input '" + input.getKey()
                        + "' must be a [batch, seq] tensor, is " + input.getValue().getInfo());
            }
        }
    }

    private static String checkOutput(Path model, Map<String, NodeInfo> outputs) {
        String name = outputs.containsKey("logits") ? "logits"
                : outputs.keySet().stream().findFirst().orElseThrow(() ->
                        new IllegalArgumentException(model + ": has no output"));
        if (!(outputs.get(name).getInfo() instanceof TensorInfo tensor)
                || tensor.getShape().length != 2
                || (tensor.getShape()[1] != 1 && tensor.getShape()[1] != -1)) {
            throw new IllegalArgumentException(model + ": output '" + name
                    + "' must be [batch, 1] scores, is " + outputs.get(name).getInfo());
        }
        return name;
    }

    private static HuggingFaceTokenizer loadTokenizer(Path file) {
        try {
            // No padding or truncation here: score() pads with attention 0 and tokenize() cuts.
            return HuggingFaceTokenizer.newInstance(file, Map.of("padding", "false",
                    "truncation", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String fingerprint(Path model) {
        try (InputStream in = Files.newInputStream(model)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void close(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // Closing after a failed load: the load's error is the one to report.
            }
        }
    }
}
