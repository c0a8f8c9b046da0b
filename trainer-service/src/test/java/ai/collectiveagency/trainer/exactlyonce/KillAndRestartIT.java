package ai.collectiveagency.trainer.exactlyonce;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.policy.checkpoint.SafetensorsFile;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import ai.collectiveagency.trainer.LedgerView;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.checkpoint.CheckpointDirectory;
import ai.collectiveagency.trainer.checkpoint.TrainerState;
import ai.collectiveagency.trainer.ledger.LedgerEntry;
import ai.collectiveagency.trainer.ledger.LedgerFiles;
import ai.collectiveagency.trainer.service.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once bar of the trainer: the packaged service, run as a separate process, is
 * destroyed ({@code SIGKILL}, no clean stop) at random moments — during a step, while a
 * checkpoint is being written, between writing and announcing — and restarted, until it
 * reaches {@code max-steps} and exits. The ledger files up to its final checkpoint must list
 * every training group exactly once, in input order, over steps 1..N, every held-out group
 * exactly once among the evaluated ones, and no duplicate (a record read again after a restart
 * is not one); its final checkpoint must hold the same adapter and optimizer state, byte for
 * byte, as an uninterrupted run over the same input. Bitwise is the right bar:
 * both runs take the same float32 operations in the same order on one PyTorch thread, and a
 * resume restores float32 weights and moments exactly, so any difference is a resume bug (this
 * test found one that was not: garbage collection freeing a scalar that backward still read; see
 * the policy's {@code Scalars}).
 *
 * <p>One start is stopped cleanly instead (SIGTERM: a last checkpoint, which may hold back the
 * offset of a group waiting for its step). Before one restart the test leaves the
 * {@code .v<n>.partial/} folder that a kill during a checkpoint write leaves; every version must
 * end up announced (a restart re-announces its latest, which covers a kill between writing
 * and announcing).
 *
 * <p>Held-out groups are interleaved with the training groups: the ledger must hold each once,
 * and their {@code EvalResult}s, sent at least once (a restart evaluates again what came after
 * its checkpoint), must all reach the metrics topic, every repetition equal to the first but
 * for its time: the trainer step it reports does not depend on where the kills fell.
 */
class KillAndRestartIT {

    private static final int GROUPS = 24;
    /** A held-out group after every {@value #HELD_OUT_EVERY} training groups, from the third. */
    private static final int HELD_OUT_EVERY = 6;
    private static final int GROUPS_PER_STEP = 2;
    private static final long STEPS = GROUPS / GROUPS_PER_STEP;
    /** Kills per run; {@code -Dkill-and-restart.kills=0} compares two uninterrupted runs. */
    private static final int MAX_KILLS = Integer.getInteger("kill-and-restart.kills", 4);
    /** This start is stopped cleanly (SIGTERM, a last checkpoint, mid-step as it may be). */
    private static final int GRACEFUL_START = 3;
    /**
     * A kill comes this long at most after a new checkpoint appears: about two steps of the tiny
     * model here (~80 ms each), so it lands in a step, in a checkpoint write or in an announce.
     */
    private static final int KILL_WINDOW_MILLIS = 200;
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(3);
    private static final Map<String, String> SETTINGS = Map.of(
            "trainer.groups-per-step", String.valueOf(GROUPS_PER_STEP),
            "trainer.checkpoint-every", "2",
            "trainer.max-steps", String.valueOf(STEPS),
            "trainer.max-staleness", "1000",
            "trainer.learning-rate", "1e-3",
            "trainer.lora.rank", "4",
            "trainer.lora.alpha", "8",
            "trainer.micro-batch-rows", "4");
    private static final Path LOGS = Path.of("target/kill-and-restart");
    private static final String OPTIMIZER = "optimizer/optimizer.safetensors";

    @Test
    void aTrainerKilledAndRestartedEndsExactlyWhereAnUninterruptedOneDoes() throws Exception {
        // Stores and logs stay in target/kill-and-restart for inspection after a failure.
        Path dir = LOGS.toAbsolutePath();
        deleteRecursively(dir);
        Random random = new Random(20261126L);
        Path killedStore = dir.resolve("killed");
        Path cleanStore = dir.resolve("uninterrupted");
        List<String> sent = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        int kills;
        List<Long> announced;
        Map<String, List<EvalResult>> evaluations;
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            Topics topics = new Topics(kafka.bootstrapServers());
            List<ScoredGroup> groups = new ArrayList<>();
            int beforeBadRecord = 0;
            for (int i = 0; i < GROUPS; i++) {
                double[] rewards = {random.nextDouble(), random.nextDouble(),
                        random.nextDouble(), i % 5 == 0 ? Double.NaN : random.nextDouble()};
                groups.add(TestGroups.group("k-" + i, 0, rewards));
                sent.add("k-" + i);
                if (i % HELD_OUT_EVERY == 2) {
                    // Fixed rewards: the random sequence stays that of the training groups.
                    int j = heldOut.size();
                    String id = "h-" + j;
                    groups.add(TestGroups.heldOut(id, 0, 0.1 * j, 0.5, 1 - 0.1 * j,
                            j == 3 ? Double.NaN : 0.3));
                    heldOut.add(id);
                }
                if (i == 6) {
                    beforeBadRecord = groups.size();
                }
            }
            topics.send(groups.subList(0, beforeBadRecord));
            topics.sendBytes("k-bad", "not a ScoredGroup".getBytes(StandardCharsets.UTF_8));
            topics.send(groups.subList(beforeBadRecord, groups.size()));
            kills = runWithKills(kafka.bootstrapServers(), killedStore, random);
            try (TrainerProcess clean = TrainerProcess.start(kafka.bootstrapServers(),
                    cleanStore, SETTINGS, LOGS.resolve("uninterrupted.log"))) {
                assertThat(clean.awaitExit(RUN_DEADLINE)).as("exit status").isZero();
            }
            List<PolicyCheckpoint> killedRun = topics.checkpoints(1000, Duration.ofSeconds(5))
                    .stream()
                    .filter(c -> c.getUri().startsWith(killedStore.toUri().toString()))
                    .toList();
            TrustedKeys trainerKey = TrustedKeys.fromPem(List.of(TrainerProcess.KEYS.publicKey()));
            assertThat(killedRun).as("every announcement signed, re-announcements included")
                    .allMatch(c -> trainerKey.verify(c).valid());
            announced = killedRun.stream().map(PolicyCheckpoint::getVersion).toList();
            evaluations = topics.allMetricsEvents().stream()
                    .filter(r -> r.value() instanceof EvalResult)
                    .collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new,
                            Collectors.mapping(r -> (EvalResult) r.value(),
                                    Collectors.toList())));
        }

        Path killed = new CheckpointDirectory(killedStore).latestValid().orElseThrow();
        Path clean = new CheckpointDirectory(cleanStore).latestValid().orElseThrow();
        TrainerState state = TrainerState.read(killed);
        assertThat(state.step()).isEqualTo(STEPS);
        LedgerView ledger = LedgerView.of(killed);
        assertThat(ledger.stepNumbers())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, STEPS).boxed().toList());
        assertThat(ledger.steps().stream().flatMap(List::stream).toList())
                .as("every group trained on exactly once, in input order")
                .containsExactlyElementsOf(sent);
        assertThat(ledger.deadLettered()).containsExactly("k-bad: undecodable");
        assertThat(ledger.heldOut()).extracting(h -> h.substring(0, h.indexOf('@')))
                .as("every held-out group evaluated exactly once, in input order, none trained on")
                .containsExactlyElementsOf(heldOut);
        assertThat(ledger.of(LedgerEntry.Kind.DUPLICATE)).as("re-reads are not duplicates")
                .isEmpty();
        assertEvaluatedAtLeastOnceAlike(evaluations, heldOut);
        // The clean stop's checkpoint is one version more than the uninterrupted run has.
        TrainerState uninterrupted = TrainerState.read(clean);
        assertThat(state).usingRecursiveComparison().ignoringFields("version")
                .isEqualTo(uninterrupted);
        assertThat(ledger.entries()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(
                "version").as("the same ledger as the uninterrupted run's")
                .containsExactlyElementsOf(LedgerView.of(clean).entries());
        assertThat(announced).as("announced versions (a restart announces its latest again)")
                .containsAll(LongStream.rangeClosed(1, state.version()).boxed().toList());
        try (Stream<Path> files = Files.list(LedgerFiles.folder(killedStore))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("one ledger file per version, none of a checkpoint that never landed")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, state.version())
                            .mapToObj(v -> String.format("v%010d.jsonl", v)).toList());
        }
        // Every checkpoint, not just the last, equals the uninterrupted run's at the same step.
        Map<Long, Path> cleanByStep = byStep(cleanStore);
        for (Map.Entry<Long, Path> at : byStep(killedStore).entrySet()) {
            Path twin = cleanByStep.get(at.getKey());
            if (twin != null) {
                assertSameTensors(at.getValue().resolve(PeftAdapterFiles.WEIGHTS_FILE),
                        twin.resolve(PeftAdapterFiles.WEIGHTS_FILE));
                assertSameTensors(at.getValue().resolve(OPTIMIZER),
                        twin.resolve(OPTIMIZER));
            }
        }
        assertThat(Files.mismatch(killed.resolve(PeftAdapterFiles.WEIGHTS_FILE),
                clean.resolve(PeftAdapterFiles.WEIGHTS_FILE))).as("adapter bytes").isEqualTo(-1);
        assertThat(kills).as("kills that hit a running trainer")
                .isGreaterThanOrEqualTo(Math.min(2, MAX_KILLS));
        try (Stream<Path> left = Files.list(killedStore)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".partial"));
        }
    }

    /**
     * Both runs (killed and uninterrupted) published an evaluation of every held-out group; the
     * killed one may have published some twice. Every copy of a group's evaluation is the same.
     */
    private static void assertEvaluatedAtLeastOnceAlike(
            Map<String, List<EvalResult>> evaluations, List<String> heldOut) {
        assertThat(evaluations.keySet()).as("evaluated tasks (the keys)")
                .containsExactlyInAnyOrderElementsOf(heldOut);
        evaluations.forEach((taskId, copies) -> {
            assertThat(copies).as(taskId + ": one per run at least")
                    .hasSizeGreaterThanOrEqualTo(2);
            EvalResult first = copies.get(0);
            assertThat(copies).as(taskId + ": every copy alike").allSatisfy(copy -> {
                assertThat(copy.getEvaluation()).isEqualTo("held-out");
                assertThat(copy.getPolicyVersion()).isZero();
                assertThat(copy.getSampleCount()).isEqualTo(first.getSampleCount());
                assertThat(copy.getMetrics()).isEqualTo(first.getMetrics());
            });
        });
    }

    /**
     * Starts the trainer, waits for a checkpoint newer than the last one, lets it run a random
     * while longer and kills it (one start is stopped cleanly instead); again, up to
     * {@link #MAX_KILLS} kills; then lets the last start run to {@code max-steps}. Returns how
     * many kills hit a running trainer.
     */
    private static int runWithKills(String bootstrapServers, Path store, Random random)
            throws Exception {
        int kills = 0;
        for (int start = 0; ; start++) {
            if (start == 2) {
                // What a kill in the middle of writing the next checkpoint leaves behind.
                long next = latest(store).map(p -> TrainerState.read(p).version()).orElse(0L) + 1;
                Path partial = Files.createDirectories(store.resolve(".v" + next + ".partial"));
                Files.writeString(partial.resolve(PeftAdapterFiles.WEIGHTS_FILE), "half");
            }
            try (TrainerProcess trainer = TrainerProcess.start(bootstrapServers, store, SETTINGS,
                    LOGS.resolve("killed-" + start + ".log"))) {
                if (kills < MAX_KILLS && awaitNewerCheckpoint(trainer, store, latest(store))) {
                    Thread.sleep(random.nextInt(KILL_WINDOW_MILLIS));
                    if (trainer.alive() && start == GRACEFUL_START) {
                        assertThat(trainer.stop(RUN_DEADLINE)).as("exit status after SIGTERM")
                                .isNotEqualTo(-1);
                        System.out.printf("clean stop: checkpoints %s%n", listing(store));
                        continue;
                    }
                    if (trainer.alive()) {
                        trainer.kill();
                        kills++;
                        System.out.printf("kill %d: checkpoints %s%n", kills, listing(store));
                        continue;
                    }
                }
                assertThat(trainer.awaitExit(RUN_DEADLINE)).as("exit status").isZero();
                return kills;
            }
        }
    }

    /** True once a checkpoint newer than {@code before} appears; false when the process ends. */
    private static boolean awaitNewerCheckpoint(TrainerProcess trainer, Path store,
            Optional<Path> before) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Path> now = latest(store);
            if (now.isPresent() && !now.equals(before)) {
                return true;
            }
            if (!trainer.alive()) {
                return false;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no new checkpoint in " + RUN_DEADLINE + " in " + store);
    }

    private static Optional<Path> latest(Path store) {
        return new CheckpointDirectory(store).latestValid();
    }

    private static List<Path> versions(Path store) throws IOException {
        try (Stream<Path> entries = Files.list(store)) {
            return entries.filter(p -> p.getFileName().toString().matches("v\\d+")).sorted()
                    .toList();
        }
    }

    private static String listing(Path store) throws IOException {
        try (Stream<Path> entries = Files.list(store)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList().toString();
        }
    }

    /** Same tensor names and, for each, the same float32 values bit for bit. */
    private static void assertSameTensors(Path actual, Path expected) {
        try (SafetensorsFile a = SafetensorsFile.open(actual);
                SafetensorsFile e = SafetensorsFile.open(expected)) {
            assertThat(a.tensors().keySet()).containsExactlyElementsOf(e.tensors().keySet());
            for (String name : e.tensors().keySet()) {
                float[] x = a.readFloats(name);
                float[] y = e.readFloats(name);
                double worst = 0;
                int differing = 0;
                for (int i = 0; i < y.length; i++) {
                    worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
                    differing += Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])
                            ? 1 : 0;
                }
                assertThat(differing).as(actual + " vs " + expected + ": " + name
                        + " differs in " + differing + " of " + y.length
                        + " values, by up to " + worst).isZero();
            }
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The checkpoint folders of {@code store} by the step they hold. */
    private static Map<Long, Path> byStep(Path store) throws IOException {
        Map<Long, Path> out = new TreeMap<>();
        for (Path folder : versions(store)) {
            out.put(TrainerState.read(folder).step(), folder);
        }
        return out;
    }
}
