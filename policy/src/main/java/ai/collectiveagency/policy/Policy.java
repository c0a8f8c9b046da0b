package ai.collectiveagency.policy;

import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.sampling.GenerationObserver;
import ai.collectiveagency.policy.sampling.Generator;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.StopCondition;
import ai.collectiveagency.policy.tokenizer.ChatTemplate;
import ai.collectiveagency.policy.tokenizer.GenerationDefaults;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.policy.tokenizer.TextTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face model folder ready to use: the transformer, its tokenizer and chat template (when
 * the folder has them) and its end-of-sequence ids.
 *
 * <pre>{@code
 * try (Policy policy = Policy.load(Path.of("models/qwen2-tiny-random"))) {
 *     int[] prompt = policy.encodeChat(List.of(Message.user("hello")));
 *     Generation g = policy.generate(List.of(prompt), SamplingParams.greedy(20), List.of()).get(0);
 *     String text = policy.decode(g.tokenIds());
 * }
 * }</pre>
 */
public final class Policy implements AutoCloseable {

    private final Path folder;
    private final Llama model; // null when loaded without weights (generation elsewhere)
    private final LlamaConfig config;
    private final TextTokenizer tokenizer; // null for token-id-only models
    private final ChatTemplate chatTemplate; // null without a tokenizer
    private final Set<Integer> endOfSequence;
    private final Generator generator; // one per model: it keeps the decode weight snapshot

    private Policy(Path folder, Llama model, TextTokenizer tokenizer, ChatTemplate chatTemplate,
            Set<Integer> endOfSequence) {
        this(folder, model, model.config(), tokenizer, chatTemplate, endOfSequence);
    }

    private Policy(Path folder, Llama model, LlamaConfig config, TextTokenizer tokenizer,
            ChatTemplate chatTemplate, Set<Integer> endOfSequence) {
        this.folder = folder;
        this.model = model;
        this.config = config;
        this.generator = model == null ? null : new Generator(model);
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.endOfSequence = endOfSequence;
    }

    /** Loads a model folder; the tokenizer is optional (without it, only token ids work). */
    public static Policy load(Path folder) {
        return withTokenizerOf(Llama.load(folder), folder);
    }

    /**
     * {@code model} with the tokenizer, chat template and end-of-sequence ids of another folder:
     * a fine-tuned checkpoint served with its base model's tokenizer. Takes ownership of
     * {@code model} (closed when the tokenizer fails to load).
     */
    public static Policy withTokenizerOf(Llama model, Path tokenizerFolder) {
        try {
            if (!Files.exists(tokenizerFolder.resolve("tokenizer.json"))) {
                return new Policy(tokenizerFolder, model, null, null, GenerationDefaults
                        .loadWithoutTokenizer(tokenizerFolder).tokenIds().eosIds());
            }
            TextTokenizer tokenizer = TextTokenizer.load(tokenizerFolder);
            return new Policy(tokenizerFolder, model, tokenizer,
                    ChatTemplate.load(tokenizerFolder),
                    GenerationDefaults.load(tokenizerFolder, tokenizer).tokenIds().eosIds());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * A model folder's tokenizer, chat template, end-of-sequence ids and {@code config.json},
     * without its weights: for a process whose generation runs elsewhere (an inference engine),
     * which still encodes prompts and decodes texts. {@link #model()} and {@code generate} throw.
     */
    public static Policy withoutWeights(Path folder) {
        LlamaConfig config = LlamaConfig.read(folder.resolve("config.json"));
        TextTokenizer tokenizer = TextTokenizer.load(folder);
        try {
            return new Policy(folder, null, config, tokenizer, ChatTemplate.load(folder),
                    GenerationDefaults.load(folder, tokenizer).tokenIds().eosIds());
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The transformer.
     *
     * @throws IllegalStateException when this policy was loaded {@linkplain #withoutWeights
     *     without weights}
     */
    public Llama model() {
        return requireModel();
    }

    /** Whether the weights are loaded (they are, except {@linkplain #withoutWeights}). */
    public boolean hasWeights() {
        return model != null;
    }

    /** The model's {@code config.json}. */
    public LlamaConfig config() {
        return config;
    }

    /** The longest sequence the model computes exactly (prompt and completion together). */
    public int maxPositions() {
        return config.maxPositions();
    }

    private Generator generator() {
        requireModel();
        return generator;
    }

    private Llama requireModel() {
        if (model == null) {
            throw new IllegalStateException(folder + " was loaded without its weights (its"
                    + " generation runs on a remote engine)");
        }
        return model;
    }

    /**
     * The Java decoder's weight snapshot of this model (adapter merged), for decoders that run
     * their own schedule over it, such as asynchronous reasoning's block decoder.
     */
    public DecodeWeights decodeWeights() {
        return generator().decodeWeights();
    }

    /** The ids of {@code text} and nothing else: no BOS, special tokens in it kept as single ids. */
    public int[] encodeWithoutSpecialTokens(String text) {
        return requireTokenizer().encodeWithoutSpecialTokens(text);
    }

    /** The id of a token in its vocabulary form (e.g. {@code "</think>"}), if the model has it. */
    public OptionalInt tokenId(String token) {
        return requireTokenizer().tokenId(token);
    }

    /** The text of {@code ids}, special tokens included. */
    public String decodeWithSpecialTokens(int[] ids) {
        return requireTokenizer().decode(ids, false);
    }

    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /** Token ids of plain text. */
    public int[] encode(String text) {
        return requireTokenizer().encode(text);
    }

    /** The chat template applied to {@code messages}, with the assistant's turn opened. */
    public int[] encodeChat(List<Message> messages) {
        requireTokenizer();
        return tokenizer.encodeWithoutSpecialTokens(chatTemplate.render(messages, true));
    }

    /** Text of token ids, special tokens left out. */
    public String decode(int[] ids) {
        return requireTokenizer().decode(ids, true);
    }

    /** Ids that end a sequence. */
    public Set<Integer> endOfSequence() {
        return endOfSequence;
    }

    /**
     * Generates a continuation of each prompt. A sequence stops at an end-of-sequence id, once
     * its text contains one of {@code stopStrings}, or after the token budget.
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params,
            List<String> stopStrings) {
        return generator().generate(prompts, params, endOfSequence, stopCondition(stopStrings));
    }

    /**
     * As {@link #generate(List, SamplingParams, List)}, each prompt sampled from its own seed
     * ({@code params.seed()} is unused): a sequence's tokens do not depend on its row or on what
     * else shares the batch.
     *
     * @param seeds one per prompt
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, long[] seeds,
            List<String> stopStrings) {
        return generator().generate(prompts, params, seeds, endOfSequence,
                stopCondition(stopStrings));
    }

    /**
     * As {@link #generate(List, SamplingParams, long[], List)}, watched by {@code observer}: it
     * sees every token as it is sampled and may stop the call between two steps.
     *
     * @throws GenerationCancelledException when the observer cancelled the call
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, long[] seeds,
            List<String> stopStrings, GenerationObserver observer) {
        return generator().generate(prompts, params, seeds, endOfSequence,
                stopCondition(stopStrings), observer);
    }

    /**
     * As {@link #generate(List, SamplingParams, long[], List, GenerationObserver)}, a sequence
     * also ending at any of {@code stopTokenIds} (kept as its last token, finish reason
     * {@code STOP}, as an end-of-sequence id): vLLM's {@code stop_token_ids}.
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, long[] seeds,
            List<String> stopStrings, Set<Integer> stopTokenIds, GenerationObserver observer) {
        Set<Integer> ends = endOfSequence;
        if (!stopTokenIds.isEmpty()) {
            Set<Integer> union = new HashSet<>(endOfSequence);
            union.addAll(stopTokenIds);
            ends = Set.copyOf(union);
        }
        return generator().generate(prompts, params, seeds, ends, stopCondition(stopStrings),
                observer);
    }

    private StopCondition stopCondition(List<String> stopStrings) {
        return stopStrings.isEmpty() ? StopCondition.NONE
                : generated -> containsAny(decode(generated), stopStrings);
    }

    private static boolean containsAny(String text, List<String> needles) {
        return needles.stream().anyMatch(text::contains);
    }

    private TextTokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new ModelFolderException(folder.resolve("tokenizer.json")
                    + ": missing, so this model works on token ids only (use --prompt-ids)");
        }
        return tokenizer;
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (model != null) {
            model.close();
        }
    }
}
