package ai.collectiveagency.policy.tokenizer;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The text ↔ token id mapping of a Hugging Face model folder ({@code tokenizer.json}), through
 * DJL's binding of the Rust {@code tokenizers} library. Never pads or truncates: ids are plain
 * {@code int[]} of exactly the text's tokens.
 *
 * <p>BOS: {@link #encode} prepends the BOS id only when {@code tokenizer_config.json} sets
 * {@code add_bos_token: true} (Llama-2, Mistral); otherwise (the default, and Qwen's and
 * Llama-3's configs) it adds nothing. The tokenizer's own post-processor is never applied, so a
 * rendered chat prompt, which already carries its special tokens as text, goes through
 * {@link #encodeWithoutSpecialTokens} and comes out without a second BOS.
 *
 * <pre>{@code
 * try (TextTokenizer tokenizer = TextTokenizer.load(modelFolder)) {
 *     int[] ids = tokenizer.encode("hello");
 *     String text = tokenizer.decode(ids);
 * }
 * }</pre>
 */
public final class TextTokenizer implements AutoCloseable {

    /** File name inside a model folder. */
    public static final String FILE_NAME = "tokenizer.json";

    // Special tokens are added by us (BOS) or by the chat template, never by the post-processor.
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false", "padding", "false", "truncation", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final TokenizerConfigFile config;
    private final OptionalInt prependedBosId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Vocabulary vocabulary,
            TokenizerConfigFile config, OptionalInt prependedBosId) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.config = config;
        this.prependedBosId = prependedBosId;
    }

    /**
     * Loads {@code tokenizer.json} (required) and {@code tokenizer_config.json} (optional) of a
     * model folder.
     *
     * @throws IllegalArgumentException naming the file when one is missing or malformed
     */
    public static TextTokenizer load(Path modelFolder) {
        Path file = modelFolder.resolve(FILE_NAME);
        Vocabulary vocabulary = Vocabulary.of(JsonFiles.read(file), file);
        TokenizerConfigFile config = TokenizerConfigFile.read(modelFolder);
        OptionalInt bosId = config.addBosToken()
                ? OptionalInt.of(bosId(config, vocabulary))
                : OptionalInt.empty();
        // Offline mode makes DJL take the CPU tokenizer library shipped in its jar.
        OfflineEngine.start();
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, OPTIONS);
            return new TextTokenizer(tokenizer, vocabulary, config, bosId);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** The ids of {@code text}, after the BOS id when {@code add_bos_token} is set. */
    public int[] encode(String text) {
        int[] ids = encodeWithoutSpecialTokens(text);
        if (prependedBosId.isEmpty()) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = prependedBosId.getAsInt();
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    /**
     * The ids of {@code text} and nothing else. Special tokens written in the text, such as
     * {@code <|im_start|>} in a rendered chat prompt, still map to their single ids.
     */
    public int[] encodeWithoutSpecialTokens(String text) {
        // The ids alone: HuggingFaceTokenizer.encode also copies out every token's string, type,
        // mask, word and character span, which took two thirds of the time of a chat prompt.
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        try {
            long[] ids = TokenizersLibrary.LIB.getTokenIds(encoding);
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = Math.toIntExact(ids[i]);
            }
            return out;
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    /** The text of {@code ids}, special tokens included. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * The text of {@code ids}. No clean-up of tokenization spaces is applied, so
     * {@code decode(encode(text))} gives back {@code text}.
     *
     * @param skipSpecialTokens whether special tokens (e.g. {@code <|im_end|>}) are left out
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longIds = Arrays.stream(ids).asLongStream().toArray();
        return tokenizer.decode(longIds, skipSpecialTokens);
    }

    /** Number of distinct tokens, added tokens included (Hugging Face's {@code len(tokenizer)}). */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The id of a token in its vocabulary form, e.g. {@code "<|im_end|>"} or {@code "Ġhi"}. */
    public OptionalInt tokenId(String token) {
        return vocabulary.id(token);
    }

    /** The {@code tokenizer_config.json} read alongside (special tokens, chat template). */
    public TokenizerConfigFile config() {
        return config;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static int bosId(TokenizerConfigFile config, Vocabulary vocabulary) {
        String bos = config.specialToken("bos_token").orElseThrow(
                () -> new IllegalArgumentException(
                        config.file() + " sets add_bos_token but no bos_token"));
        return vocabulary.id(bos).orElseThrow(() -> new IllegalArgumentException(
                config.file() + ": bos_token " + bos + " is not in the tokenizer's vocabulary"));
    }
}
