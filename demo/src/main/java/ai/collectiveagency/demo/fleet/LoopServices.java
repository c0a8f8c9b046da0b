package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.demo.tasks.SmallModelFiles;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.engine.TrainingMalloc;
import ai.collectiveagency.schemas.topics.PipelineClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The loop's four services with the settings the demo runs them with, shared by
 * {@code ./pipeline demo} and {@code ./pipeline chaos}: the trainer (its checkpoint store in
 * {@code <run>/checkpoints}, signing with the run's {@link RunKeys}), the reward-service (the
 * offline negotiation reward, or a judge), the rollout-service (following the run's checkpoints)
 * and the prompt-generator, each on its own free ports with its Kafka user's settings in its
 * environment. A model whose context is small gets the demo's short prompts and seeds, written
 * into the run folder. In {@link RunMode#SINGLE_AGENT} every service starts with its
 * {@code single-agent} profile, whose keys take the place of the demo's own settings for them.
 * The demo runs a fifth beside them, the evaluation-service: the run's checkpoints against the
 * base model, read-only from the store ({@link #demoInStartOrder}).
 */
public final class LoopServices {

    /** The name of the inference server's process and of its Quarkus profile. */
    public static final String INFERENCE_SERVER = "inference-server";
    /** The trainer's checkpoint store inside a run folder. */
    public static final String STORE = "checkpoints";
    /**
     * At most one checkpoint evaluated per this interval: the trainer announces one every few
     * seconds, far more often than both sets can be played in both decodings beside the
     * training loop; so a 10-minute demo evaluates three or four checkpoints while it trains.
     */
    static final String EVALUATION_INTERVAL = "2m";
    /** T, the most persona turns of the demo's negotiations. */
    private static final String MAX_TURNS = "4";
    /** Every turn sampled at temperature 1 and top-p 1 (see {@link #rollout()}). */
    private static final String TEMPERATURE = "1.0";
    /** Tasks per evaluation set: each evaluation then has 16 comparisons. */
    static final String EVALUATION_TASKS = "16";
    /**
     * The stages that compute at once (rollout, reward, trainer), among which the demo shares
     * the machine's cores ({@link #threadsPerService}).
     */
    private static final int BUSY_STAGES = 3;
    /**
     * The most tasks a second the prompt-generator sends: a ceiling above what a laptop trains.
     * The demo is paced by its slowest stage instead: the generator sends while the rollout
     * fleet is fewer than {@link #ROLLOUT_BACKLOG} tasks behind and the trainer fewer than
     * {@link #TRAINER_BACKLOG} scored groups.
     */
    private static final String PROMPT_RATE = "8";
    private static final String ROLLOUT_BACKLOG = "8";
    /**
     * In offsets: a scored group and its transaction's commit marker take two, so about 12
     * groups, 6 steps of two: groups wait seconds for the trainer and never go stale.
     */
    private static final String TRAINER_BACKLOG = "24";

    /**
     * An OpenAI-compatible judge for the reward-service.
     *
     * @param apiKey given to the reward-service alone, in its environment; null for none
     */
    public record Judge(URI url, String model, String apiKey) {
        public Judge {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(model, "model");
        }
    }

    private final Path root;
    private final LocalKafka kafka;
    private final Path modelFolder;
    private final Path store;
    private final RunKeys keys;
    private final long seed;
    private final Optional<Judge> judge;
    private final Optional<Path> prompts;
    private final Optional<Path> seeds;
    private final RunMode mode;
    private final Optional<InferenceServer> inferenceServer;

    /**
     * The project's inference server ({@code ./pipeline inference-server}) that the
     * rollout-services drive in {@code remote} mode, with the key they share.
     */
    public record InferenceServer(int port, String apiKey) {

        /** On a free port, with a fresh random key. */
        static InferenceServer fresh() {
            byte[] key = new byte[24];
            new SecureRandom().nextBytes(key);
            return new InferenceServer(Fleet.freePort(), HexFormat.of().formatHex(key));
        }

        public URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        @Override
        public String toString() {
            return "InferenceServer[port=" + port + ", apiKey=[hidden]]";
        }
    }

    private LoopServices(Path root, LocalKafka kafka, Path modelFolder, Path runFolder,
            long seed, Optional<Judge> judge, boolean smallModel, RunMode mode,
            boolean remoteGeneration) {
        this.root = root;
        this.kafka = kafka;
        this.modelFolder = modelFolder;
        this.store = runFolder.resolve(STORE);
        this.keys = RunKeys.of(runFolder); // kept, so a continued run keeps its key
        this.seed = seed;
        this.judge = judge;
        this.prompts = smallModel ? Optional.of(SmallModelFiles.prompts(
                runFolder.resolve("prompts"))) : Optional.empty();
        this.seeds = smallModel ? Optional.of(SmallModelFiles.seeds(runFolder.resolve("seeds")))
                : Optional.empty();
        this.mode = mode;
        this.inferenceServer = remoteGeneration ? Optional.of(InferenceServer.fresh())
                : Optional.empty();
    }

    /**
     * The services of the checkout at {@code root} for the run in {@code runFolder} on
     * {@code kafka}, the policy {@code modelFolder} (a Hugging Face folder), tasks and LoRA
     * seeded by {@code seed}.
     */
    public static LoopServices of(Path root, LocalKafka kafka, Path modelFolder, Path runFolder,
            long seed, Optional<Judge> judge) throws IOException {
        return of(root, kafka, modelFolder, runFolder, seed, judge, RunMode.NEGOTIATION);
    }

    /** As {@link #of(Path, LocalKafka, Path, Path, long, Optional)}, training {@code mode}. */
    public static LoopServices of(Path root, LocalKafka kafka, Path modelFolder, Path runFolder,
            long seed, Optional<Judge> judge, RunMode mode) throws IOException {
        return of(root, kafka, modelFolder, runFolder, seed, judge, mode, false);
    }

    /**
     * As {@link #of(Path, LocalKafka, Path, Path, long, Optional, RunMode)}; with
     * {@code inferenceServer}, generation runs in a separate inference server process that the
     * rollout-services drive in {@code remote} mode, and checkpoints reach it by runtime LoRA
     * loading.
     */
    public static LoopServices of(Path root, LocalKafka kafka, Path modelFolder, Path runFolder,
            long seed, Optional<Judge> judge, RunMode mode, boolean inferenceServer)
            throws IOException {
        boolean small = positions(modelFolder) <= SmallModelFiles.SMALL_CONTEXT;
        return new LoopServices(root, kafka, modelFolder, runFolder, seed, judge, small, mode,
                inferenceServer);
    }

    /** The inference server rollouts are generated on, when there is one. */
    public Optional<InferenceServer> inferenceServer() {
        return inferenceServer;
    }

    /** The trainer's checkpoint store: its checkpoints and ledger. */
    public Path store() {
        return store;
    }

    /**
     * The four services in the order they start, one process each (the scaled stages as their
     * replica 0): each consumer before its producer, so that the first records find their
     * readers up.
     */
    public List<ServiceSpec> inStartOrder() {
        return inStartOrder(Map.of());
    }

    /**
     * The four services in the order they start, {@code replicas} processes of each scaled
     * stage (one where it is not named), replica 0 first.
     */
    public List<ServiceSpec> inStartOrder(Map<ScaledStage, Integer> replicas) {
        List<ServiceSpec> specs = new ArrayList<>();
        inferenceServer.ifPresent(server -> specs.add(inferenceServerSpec(server)));
        specs.add(trainer());
        for (ScaledStage stage : List.of(ScaledStage.REWARD, ScaledStage.ROLLOUT)) {
            for (int i = 0; i < replicas.getOrDefault(stage, 1); i++) {
                specs.add(replica(stage, i));
            }
        }
        specs.add(promptGenerator());
        return List.copyOf(specs);
    }

    /**
     * The demo's five services in the order they start: the evaluation-service first (it reads
     * every checkpoint the trainer announces), then the loop's four as {@link
     * #inStartOrder(Map)} has them.
     */
    public List<ServiceSpec> demoInStartOrder(Map<ScaledStage, Integer> replicas) {
        List<ServiceSpec> specs = new ArrayList<>();
        specs.add(evaluation());
        specs.addAll(inStartOrder(replicas));
        return List.copyOf(specs);
    }

    /** Replica {@code index} of {@code stage}, on ports of its own. */
    public ServiceSpec replica(ScaledStage stage, int index) {
        ServiceSpec service = switch (stage) {
            case ROLLOUT -> rollout();
            case REWARD -> reward();
        };
        return service.asReplica(index, stage.replicaIdSetting());
    }

    private ServiceSpec trainer() {
        Map<String, String> trainer = new HashMap<>(Map.of(
                "trainer.model", modelFolder.toString(),
                "trainer.store", store.toString(),
                "trainer.groups-per-step", "2", "trainer.checkpoint-every", "2",
                "trainer.learning-rate", "5e-4", "trainer.lora.rank", "8",
                "trainer.lora.alpha", "16", "trainer.segments", "both",
                "trainer.max-staleness", "8"));
        // A small KL penalty, so that the dashboard shows how far the policy has moved.
        trainer.put("trainer.beta", "0.05");
        trainer.put("trainer.lora.seed", Long.toString(seed));
        trainer.putAll(keys.trainerSettings());
        return service(PipelineClient.TRAINER_SERVICE, trainer)
                .withEnvironment(TrainingMalloc.ENVIRONMENT);
    }

    /** The reward-service; with a judge, the judge's key is in its environment alone. */
    private ServiceSpec reward() {
        if (judge.isEmpty()) {
            return service(PipelineClient.REWARD_SERVICE,
                    Map.of("reward.scorers.negotiation", "1"));
        }
        Judge j = judge.get();
        ServiceSpec reward = service(PipelineClient.REWARD_SERVICE, Map.of(
                "reward.scorers.judge", "1", "reward.judge.base-url", j.url().toString(),
                "reward.judge.model", j.model()));
        return j.apiKey() == null ? reward
                : reward.withEnvironment("REWARD_JUDGE_API_KEY", j.apiKey());
    }

    /**
     * The evaluation-service: the run's checkpoints (signed by its trainer, in its store, read
     * only) against the base model, at most one every {@link #EVALUATION_INTERVAL}; with a
     * judge, the judge compares the pairs, its key in this service's environment alone.
     */
    ServiceSpec evaluation() {
        Map<String, String> evaluation = new HashMap<>(Map.of(
                "evaluation.model", modelFolder.toString(),
                "evaluation.schedule.min-interval", EVALUATION_INTERVAL,
                "evaluation.tasks-per-set", EVALUATION_TASKS));
        // The protocol plays as the fleet samples (its turns, temperature and budgets), so the
        // sampled decoding is the training one.
        evaluation.put("evaluation.protocol.max-turns", MAX_TURNS);
        evaluation.put("evaluation.protocol.temperature", TEMPERATURE);
        evaluation.put("evaluation.protocol.resolution-temperature", TEMPERATURE);
        evaluation.put("evaluation.protocol.top-p", TEMPERATURE);
        evaluation.put("evaluation.protocol.turn-tokens", maxTokens(true));
        evaluation.put("evaluation.protocol.resolution-tokens", maxTokens(false));
        prompts.ifPresent(folder -> {
            evaluation.put("evaluation.protocol.prompts", folder.toString());
            // Held-out tasks of the short scenarios the small model plays (its prompt-generator's).
            evaluation.put("evaluation.sets", "tiny-negotiation-v1,tiny-open-ended-v1");
        });
        evaluation.putAll(keys.evaluationSettings(store));
        judge.ifPresent(j -> {
            evaluation.put("evaluation.judge.base-url", j.url().toString());
            evaluation.put("evaluation.judge.model", j.model());
        });
        ServiceSpec service = service(PipelineClient.EVALUATION_SERVICE, evaluation);
        return judge.map(Judge::apiKey).map(key -> service.withEnvironment(
                "EVALUATION_JUDGE_API_KEY", key)).orElse(service);
    }

    /** Tokens of a persona turn, or of a resolution or answer: short for short prompts. */
    private String maxTokens(boolean turn) {
        return prompts.isPresent() ? (turn ? "24" : "56") : (turn ? "64" : "128");
    }

    private ServiceSpec rollout() {
        Map<String, String> rollout = new HashMap<>(Map.of(
                "rollout.model", modelFolder.toString(), "rollout.group-size", "6",
                "rollout.max-turns", MAX_TURNS, "rollout.batch.max-tasks", "2"));
        // The fleet binds loopback only (ServiceProcess), so the demo's API takes no key.
        rollout.put("rollout.api.auth", "none");
        // Every part sampled at temperature 1 so that a group's trajectories differ where the
        // reward looks (the resolution) and GRPO's advantages carry signal. The short budgets
        // fit the short prompts of small models.
        for (String part : List.of("dialogue", "resolution", "answer")) {
            rollout.put("rollout." + part + ".temperature", TEMPERATURE);
            rollout.put("rollout." + part + ".top-p", TEMPERATURE);
            rollout.put("rollout." + part + ".max-tokens", maxTokens(part.equals("dialogue")));
        }
        prompts.ifPresent(folder -> rollout.put("rollout.prompts", folder.toString()));
        rollout.putAll(keys.rolloutSettings(store)); // only the run's trainer, only its store
        if (inferenceServer.isEmpty()) {
            return service(PipelineClient.ROLLOUT_SERVICE, rollout);
        }
        InferenceServer server = inferenceServer.get();
        rollout.put("rollout.generation", "remote");
        rollout.put("rollout.remote.urls", server.url().toString());
        return service(PipelineClient.ROLLOUT_SERVICE, rollout)
                .withEnvironment("ROLLOUT_REMOTE_API_KEY", server.apiKey());
    }

    /**
     * The rollout-service's packaged app as a pure generation server (its
     * {@code inference-server} profile: no topics, runtime LoRA from the run's store), on
     * loopback with the run's key in its environment.
     */
    private ServiceSpec inferenceServerSpec(InferenceServer server) {
        Map<String, String> settings = new HashMap<>(Map.of(
                ServiceSpec.PROFILE, INFERENCE_SERVER,
                "rollout.model", modelFolder.toString(),
                "rollout.checkpoints.store-root", store.toString()));
        ServiceSpec packaged = ServiceSpec.packaged(root, PipelineClient.ROLLOUT_SERVICE.user(),
                server.port(), "2g", withSharedCores(settings));
        return new ServiceSpec(INFERENCE_SERVER, INFERENCE_SERVER, packaged.app(), server.port(),
                packaged.managementPort(), packaged.jvmOptions(), packaged.settings(),
                packaged.environment()).withEnvironment("ROLLOUT_API_KEYS", server.apiKey());
    }

    private ServiceSpec promptGenerator() {
        Map<String, String> generator = new HashMap<>(Map.of("prompts.rate", PROMPT_RATE,
                "prompts.pacing.max-lag", ROLLOUT_BACKLOG,
                "prompts.pacing.trainer-max-lag", TRAINER_BACKLOG,
                "prompts.audit.enabled", "false", "prompts.held-out-share", "0.2"));
        seeds.ifPresent(folder -> {
            generator.put("prompts.seeds", folder.toString());
            generator.put("prompts.replace-seeds", "true");
        });
        generator.put("prompts.seed", Long.toString(seed));
        return service(PipelineClient.PROMPT_GENERATOR, generator);
    }

    /**
     * {@code client}'s service, with its Kafka user's settings in its environment alone, under
     * the run mode's profile.
     */
    private ServiceSpec service(PipelineClient client, Map<String, String> settings) {
        ServiceSpec service = ServiceSpec.packaged(root, client.user(), Fleet.freePort(), "2g",
                withSharedCores(settings))
                .withEnvironment(kafka.clientSettings(client).asEnvironment());
        return mode.profile().map(service::withProfile).orElse(service);
    }

    /**
     * {@code settings} with each engine's intra-op threads (PyTorch's, the Java decoder's, ONNX
     * Runtime's) at {@link #threadsPerService}: each would otherwise take every core, and on a
     * small machine the stages' threads then wait on each other's (README, "The demo's groups
     * per second").
     */
    private static Map<String, String> withSharedCores(Map<String, String> settings) {
        String threads = Integer.toString(threadsPerService(
                Runtime.getRuntime().availableProcessors()));
        Map<String, String> shared = new HashMap<>(settings);
        shared.put(OfflineEngine.THREADS_PROPERTY, threads);
        shared.put(ParallelRange.THREADS_PROPERTY, threads);
        shared.put("reward.embedding.threads", threads);
        return shared;
    }

    /** Each busy stage's share of {@code cores}, at least one. */
    static int threadsPerService(int cores) {
        return Math.max(1, cores / BUSY_STAGES);
    }

    private static int positions(Path model) throws IOException {
        return new ObjectMapper().readTree(model.resolve("config.json").toFile())
                .path("max_position_embeddings").asInt(Integer.MAX_VALUE);
    }
}
