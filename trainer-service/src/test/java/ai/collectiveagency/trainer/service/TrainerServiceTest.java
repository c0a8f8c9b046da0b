package ai.collectiveagency.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.checkpoint.BaseModelIdentity;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.trainer.LedgerView;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.checkpoint.TrainerState;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The trainer on the real broker with {@code qwen2-tiny-random} (LoRA rank 4, two groups a step,
 * a checkpoint every step): scored groups in, steps taken, checkpoints written and announced
 * signed with the base model's identity; a consumer standing in for the rollout fleet verifies
 * each one and loads its adapter; an undecodable record goes to the DLQ with its reason.
 */
@QuarkusTest
@WithTestResource(BrokerAndStore.class)
class TrainerServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "trainer.model")
    Path model;

    // a default, because every @QuarkusTest's injection points are checked in each application
    @ConfigProperty(name = BrokerAndStore.PUBLIC_KEY, defaultValue = "unset")
    Path publicKey;

    @Test
    void scoredGroupsBecomeStepsAndAnnouncedCheckpointsTheFleetCanLoad() throws Exception {
        Topics topics = new Topics(bootstrapServers);
        topics.send(List.of(TestGroups.group("s-1", 0, 1, 0, 0.5, 0.2),
                TestGroups.group("s-2", 0, 0, 1, 0.3, 0.9)));
        topics.sendBytes("s-bad", "garbage".getBytes(StandardCharsets.UTF_8));
        // s-4's rewards are all equal (its NaN unscorable): dynamic sampling settles it without
        // training, and step 2 waits for s-5.
        topics.sendInTransaction(List.of(TestGroups.group("s-3", 0, 0.1, 0.7, 0.4, 0.4),
                TestGroups.group("s-4", 0, 1, 1, 1, Double.NaN),
                TestGroups.group("s-5", 0, 0.3, 0.8, 0.6, 0.5)));

        List<PolicyCheckpoint> announced = topics.checkpoints(2, DEADLINE);
        List<TrainingMetrics> metrics = topics.metrics(2, DEADLINE);
        List<ConsumerRecord<String, byte[]>> dead = topics.deadLetters(1, DEADLINE);

        assertThat(announced).extracting(PolicyCheckpoint::getVersion).containsExactly(1L, 2L);
        TrustedKeys trainerKey = TrustedKeys.fromPem(List.of(publicKey));
        String baseSha256 = BaseModelIdentity.sha256(model);
        try (Llama fleet = Llama.load(model)) {
            for (PolicyCheckpoint checkpoint : announced) {
                assertThat(trainerKey.verify(checkpoint).valid()).as("signed").isTrue();
                assertThat(checkpoint.getBaseModelSha256()).isEqualTo(baseSha256);
                Path folder = Path.of(URI.create(checkpoint.getUri()));
                assertThat(checkpoint.getFormat()).isEqualTo(CheckpointFormat.LORA);
                assertThat(checkpoint.getBaseModel()).isEqualTo("qwen2-tiny-random");
                assertThat(checkpoint.getSha256()).isEqualTo(Sha256Manifest.digest(folder));
                Sha256Manifest.verify(folder);
                try (LoraAdapter adapter = PeftAdapterFiles.load(folder, fleet)) {
                    assertThat(adapter.parameters()).isNotEmpty();
                }
            }
        }
        TrainerState second = TrainerState.read(Path.of(URI.create(announced.get(1).getUri())));
        assertThat(second.baseModelSha256()).isEqualTo(baseSha256);
        LedgerView ledger = LedgerView.of(Path.of(URI.create(announced.get(1).getUri())));
        assertThat(ledger.steps()).containsExactly(List.of("s-1", "s-2"), List.of("s-3", "s-5"));
        assertThat(ledger.noSignal()).containsExactly("s-4@0");
        assertThat(ledger.deadLettered()).containsExactly("s-bad: undecodable");
        assertThat(second.consumedOffsets()).containsEntry(
                TopicCatalogue.defaults().name(LogicalTopic.SCORED) + "-0", 6L);
        // The group the prompt-generator paces by shows no lag once every group is settled,
        // the transaction's commit marker after s-5 included.
        assertThat(trainerGroupLag()).isZero();
        assertThat(metrics).extracting(TrainingMetrics::getStep).containsExactly(1L, 2L);
        assertThat(metrics.get(0).getMetrics()).containsKeys("loss", "grad_norm", "kl",
                "clip_fraction", "entropy", "learning_rate", "tokens", "reward_mean",
                "staleness_mean", "step_seconds", "group_age_seconds", "zero_advantage_share",
                "no_agreement_rate", "rounds_mean", "reward_group_min", "groups_without_signal");
        // Step 2 read s-3, s-4 and s-5: one of three carries no gradient, and is in the figures;
        // the groups' minimums are 0.1, 1 and 0.3; every test dialogue agreed in 2 turns.
        assertThat(metrics.get(1).getMetrics()).containsEntry("zero_advantage_share", 1 / 3.0)
                .containsEntry("groups_without_signal", 1.0).containsEntry("groups", 2.0)
                .containsEntry("no_agreement_rate", 0.0).containsEntry("rounds_mean", 2.0);
        assertThat(metrics.get(1).getMetrics().get("reward_group_min"))
                .isCloseTo((0.1 + 1 + 0.3) / 3, within(1e-12));
        assertThat(metrics.get(0).getMetrics().get("tokens")).isEqualTo(2 * 4 * 12.0);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(),
                StandardCharsets.UTF_8)).contains("ScoredGroup");
    }

    /**
     * The lag of group trainer-service on the scored topic (end offsets minus committed), once
     * it is 0 or the deadline passed.
     */
    private long trainerGroupLag() throws Exception {
        String scored = TopicCatalogue.defaults().name(LogicalTopic.SCORED);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            long lag;
            do {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(scored)).allTopicNames().get().get(scored)
                        .partitions().forEach(p -> latest.put(
                                new TopicPartition(scored, p.partition()), OffsetSpec.latest()));
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(TopicCatalogue.TRAINER_GROUP)
                        .partitionsToOffsetAndMetadata().get();
                lag = 0;
                for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                    OffsetAndMetadata done = committed.get(end.getKey());
                    lag += end.getValue().offset() - (done == null ? 0 : done.offset());
                }
                if (lag != 0) {
                    Thread.sleep(100);
                }
            } while (lag != 0 && System.nanoTime() < deadline);
            return lag;
        }
    }
}
