package ai.collectiveagency.demo.warmup;

import ai.collectiveagency.demo.tasks.SmallModelFiles;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.ModelCheckpoint;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.AdamWConfig;
import ai.collectiveagency.policy.optim.ScheduleConfig;
import ai.collectiveagency.policy.tokenizer.ByteLevelBpeTrainer;
import ai.collectiveagency.policy.tokenizer.ChatTemplate;
import ai.collectiveagency.policy.training.SupervisedTrainer;
import ai.collectiveagency.policy.training.TrainingBatch;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.SeedMerge;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.schemas.PromptTask;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a small Llama model that speaks the negotiation task: a corpus from the combinatorial
 * task source and the {@link NegotiationScript}, rendered as the rollout-service renders its
 * prompts ({@link WarmupCorpus}); a byte-level BPE tokenizer trained on it; a randomly
 * initialised model; supervised training on the replies; a Hugging Face folder with a ChatML
 * template. Reinforcement learning then has a policy whose negotiations agree and whose
 * resolutions differ in how well they serve both sides.
 */
public final class Warmup {

    /**
     * The special tokens, in id order after the BPE vocabulary, as Qwen2's ChatML uses them;
     * {@code <|im_end|>}, which ends every reply, is the last id.
     */
    static final List<String> SPECIAL_TOKENS = List.of("<|endoftext|>", "<|im_start|>",
            "<|im_end|>");
    private static final String CHATML = "{% for message in messages %}{{ '<|im_start|>' + "
            + "message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    /** Turns each side and the judge see: the demo's {@code rollout.context-turns}. */
    static final int CONTEXT_TURNS = 2;
    /**
     * Share of negotiation tasks in the corpus, the rest single answers: the one model serves
     * both the negotiation demo and the single-agent baseline ({@code --mode single-agent}), so
     * it learns both, as the shipped {@code models/negotiator-tiny} was built (the
     * prompt-generator's default of 0.8 then; its default is now 1, negotiations only).
     */
    static final double NEGOTIATION_SHARE = 0.8;

    private final WarmupRecipe recipe;
    private final PrintStream log;

    public Warmup(WarmupRecipe recipe, PrintStream log) {
        this.recipe = recipe;
        this.log = log;
    }

    /** What the run produced. */
    public record Result(Path folder, int examples, double firstLoss, double lastLoss,
            long parameters, double seconds) {}

    /** Builds the model into {@code out}, which must not exist or be empty. */
    public Result run(Path out) throws IOException {
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("warmup");
        List<WarmupCorpus.Example> examples = corpus(work);
        log.printf("warmup: %d examples from %d tasks%n", examples.size(), recipe.tasks());
        Path draft = work.resolve("draft");
        LlamaConfig config = draftModel(draft, examples);
        try (Policy policy = Policy.load(draft)) {
            List<int[][]> sequences = encode(policy, examples, config.vocabSize() - 1);
            Llama model = policy.model();
            model.parameters().setTrainable(true);
            double[] losses = train(model, sequences);
            ModelCheckpoint.save(out, config, model.parameters(), draft);
            writeProvenance(out, examples.size(), losses);
            Sha256Manifest.write(out);
            long parameters = model.parameters().asMap().values().stream()
                    .mapToLong(a -> a.getShape().size()).sum();
            return new Result(out, examples.size(), losses[0], losses[1], parameters,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** The examples of {@code recipe.tasks()} combinatorial tasks, in a seeded order. */
    List<WarmupCorpus.Example> corpus(Path work) {
        PromptTemplates templates = PromptTemplates.load(
                SmallModelFiles.prompts(work.resolve("prompts")));
        SeedLists seeds = SeedLists.load(SmallModelFiles.seeds(work.resolve("seeds")),
                SeedMerge.REPLACE);
        CombinatorialSource source = new CombinatorialSource(seeds, new CombinatorialConfig(
                recipe.seed(), NEGOTIATION_SHARE, 0, Instant.EPOCH));
        WarmupCorpus corpus = new WarmupCorpus(templates, CONTEXT_TURNS,
                NegotiationScript.shipped());
        Random random = new Random(recipe.seed());
        List<WarmupCorpus.Example> examples = new ArrayList<>();
        try (Stream<PromptTask> tasks = source.tasks(recipe.tasks())) {
            tasks.forEach(task -> examples.addAll(corpus.examples(task, random)));
        }
        Collections.shuffle(examples, random);
        return examples;
    }

    /** Tokenizer files and random weights in {@code draft}; returns the model's shape. */
    private LlamaConfig draftModel(Path draft, List<WarmupCorpus.Example> examples)
            throws IOException {
        ChatTemplate template = ChatTemplate.of(CHATML, Map.of());
        ByteLevelBpeTrainer bpe = new ByteLevelBpeTrainer();
        String specials = String.join("|", SPECIAL_TOKENS.stream()
                .map(Pattern::quote).toList());
        for (WarmupCorpus.Example example : examples) {
            String text = template.render(example.prompt(), true) + example.target();
            for (String piece : text.split(specials)) {
                bpe.add(piece);
            }
        }
        ByteLevelBpeTrainer.Bpe trained = bpe.train(recipe.vocabSize() - SPECIAL_TOKENS.size());
        int vocab = trained.vocab().size() + SPECIAL_TOKENS.size();
        LlamaConfig config = new LlamaConfig("llama", recipe.hiddenSize(),
                recipe.intermediateSize(), recipe.layers(), recipe.heads(), recipe.kvHeads(),
                recipe.hiddenSize() / recipe.heads(), vocab, recipe.maxPositions(), 1e-5, 10000,
                true, false, null);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelCheckpoint.save(draft, config,
                    RandomWeights.parameters(config, recipe.seed(), manager));
        }
        ByteLevelBpeTrainer.write(trained, SPECIAL_TOKENS, draft.resolve("tokenizer.json"));
        int endOfText = trained.vocab().size();
        int imEnd = endOfText + 2;
        ObjectMapper json = new ObjectMapper();
        ObjectNode tokenizerConfig = json.createObjectNode().put("chat_template", CHATML)
                .put("eos_token", "<|im_end|>").put("pad_token", "<|endoftext|>")
                .putNull("bos_token").put("add_bos_token", false);
        Files.writeString(draft.resolve("tokenizer_config.json"),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(tokenizerConfig));
        ObjectNode generation = json.createObjectNode();
        generation.putArray("eos_token_id").add(imEnd).add(endOfText);
        Files.writeString(draft.resolve("generation_config.json"), generation.toString());
        Files.delete(draft.resolve(Sha256Manifest.FILE));
        log.printf("warmup: tokenizer of %d tokens; model %s%n", vocab, config);
        return config;
    }

    /** Each example as {prompt ids, target ids ending in <|im_end|>}; too-long ones dropped. */
    private List<int[][]> encode(Policy policy, List<WarmupCorpus.Example> examples,
            int imEnd) {
        List<int[][]> sequences = new ArrayList<>();
        for (WarmupCorpus.Example example : examples) {
            int[] prompt = policy.encodeChat(example.prompt());
            int[] reply = policy.encode(example.target());
            int[] target = Arrays.copyOf(reply, reply.length + 1);
            target[reply.length] = imEnd;
            if (prompt.length + target.length <= recipe.maxPositions()) {
                sequences.add(new int[][] {prompt, target});
            }
        }
        if (sequences.isEmpty()) {
            throw new IllegalStateException("no example fits " + recipe.maxPositions()
                    + " positions");
        }
        log.printf("warmup: %d examples fit, mean length %.1f tokens%n", sequences.size(),
                sequences.stream().mapToInt(s -> s[0].length + s[1].length).average()
                        .orElse(0));
        return sequences;
    }

    /** Supervised training; returns the mean loss of the first and of the last 5% of steps. */
    private double[] train(Llama model, List<int[][]> sequences) {
        int warmupSteps = Math.max(1, recipe.steps() / 20);
        try (AdamW optimizer = new AdamW(model.parameters().asMap(),
                new AdamWConfig(recipe.learningRate(), 0.9, 0.95, 1e-8, 0.0),
                new ScheduleConfig(ScheduleConfig.Kind.WARMUP_COSINE, warmupSteps,
                        recipe.steps()))) {
            SupervisedTrainer trainer = new SupervisedTrainer(model, optimizer, 1.0);
            Random random = new Random(recipe.seed());
            List<Integer> order = new ArrayList<>();
            double first = 0;
            double last = 0;
            int window = Math.max(1, recipe.steps() / 20);
            long since = System.nanoTime();
            long tokens = 0;
            for (int step = 1; step <= recipe.steps(); step++) {
                List<int[][]> batch = new ArrayList<>();
                while (batch.size() < recipe.batchSize()) {
                    if (order.isEmpty()) {
                        for (int i = 0; i < sequences.size(); i++) {
                            order.add(i);
                        }
                        Collections.shuffle(order, random);
                    }
                    batch.add(sequences.get(order.remove(order.size() - 1)));
                }
                SupervisedTrainer.Step result = trainer.step(List.of(batch(batch)));
                tokens += result.tokens();
                first += step <= window ? result.loss() / window : 0;
                last += step > recipe.steps() - window ? result.loss() / window : 0;
                if (step % 50 == 0 || step == recipe.steps()) {
                    double seconds = (System.nanoTime() - since) / 1e9;
                    log.printf("warmup: step %d/%d  loss %.4f  grad norm %.3f  lr %.2e  "
                            + "%.0f target tokens/s%n", step, recipe.steps(), result.loss(),
                            result.gradNorm(), result.learningRate(), tokens / seconds);
                    since = System.nanoTime();
                    tokens = 0;
                }
            }
            return new double[] {first, last};
        }
    }

    /** Right-padded rows; the loss sees the reply tokens only. */
    private static TrainingBatch batch(List<int[][]> examples) {
        int width = examples.stream().mapToInt(e -> e[0].length + e[1].length).max()
                .orElseThrow();
        int rows = examples.size();
        int[][] tokens = new int[rows][width];
        int[][] attention = new int[rows][width];
        float[][] mask = new float[rows][width - 1];
        for (int b = 0; b < rows; b++) {
            int[] prompt = examples.get(b)[0];
            int[] target = examples.get(b)[1];
            System.arraycopy(prompt, 0, tokens[b], 0, prompt.length);
            System.arraycopy(target, 0, tokens[b], prompt.length, target.length);
            Arrays.fill(attention[b], 0, prompt.length + target.length, 1);
            // target token t+1 is predicted at column t
            Arrays.fill(mask[b], prompt.length - 1, prompt.length + target.length - 1, 1f);
        }
        return new TrainingBatch(tokens, attention, mask, null, new double[rows]);
    }

    private void writeProvenance(Path out, int examples, double[] losses) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("built_by", "./pipeline warmup");
        root.put("about", "A small Llama trained from random weights on the warm-up corpus: "
                + "negotiation turns, YES/NO agreement verdicts and resolutions rendered with "
                + "the demo's short prompts (demo/src/main/resources/warmup/"
                + "negotiation-script.json).");
        root.set("recipe", json.valueToTree(recipe));
        root.put("examples", examples);
        root.put("first_loss", losses[0]);
        root.put("last_loss", losses[1]);
        try {
            Files.writeString(out.resolve("warmup.json"),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("warmup.json"), e);
        }
    }
}
