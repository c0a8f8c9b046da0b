package ai.collectiveagency.trainer.checkpoint;

import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a checkpoint: writes its folder into the store ({@link CheckpointDirectory}: the
 * contents, the state, the manifest, one atomic rename), announces it on the checkpoints topic
 * as a {@link PolicyCheckpoint} signed with the trainer's key and keyed by the base model's name,
 * then hands the published folder to an after-write hook (retention: pruning old versions).
 */
public final class CheckpointPublisher {

    private static final System.Logger LOG =
            System.getLogger(CheckpointPublisher.class.getName());

    private final CheckpointDirectory store;
    private final CheckpointSigner signer;
    private final Producer<String, PolicyCheckpoint> producer;
    private final String topic;
    private final BaseModel baseModel;
    private final CheckpointFormat format;
    private final Clock clock;
    private Consumer<Path> afterWrite = folder -> { };

    /**
     * @param topic the checkpoints topic
     * @param format what the folders hold (an adapter or all weights)
     */
    public CheckpointPublisher(CheckpointDirectory store, CheckpointSigner signer,
            Producer<String, PolicyCheckpoint> producer, String topic, BaseModel baseModel,
            CheckpointFormat format, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.producer = producer;
        this.topic = topic;
        this.baseModel = baseModel;
        this.format = format;
        this.clock = clock;
    }

    /**
     * Called with each published folder once it is announced; default: nothing. Runs on the
     * trainer's thread, so it never races the next write.
     */
    public void afterWrite(Consumer<Path> hook) {
        this.afterWrite = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Writes {@code state}'s version, {@code contents} filling the folder beside the state
     * file, announces it with {@code metrics} and runs the after-write hook.
     *
     * @return the published folder
     */
    public Path publish(TrainerState state, Consumer<Path> contents,
            Map<String, Double> metrics) {
        Path folder = store.write(state.version(), partial -> {
            contents.accept(partial);
            state.write(partial);
        });
        announce(folder, state, metrics);
        afterWrite.accept(folder);
        return folder;
    }

    /**
     * Announces a written checkpoint, signed. A failed send is logged, not thrown: the folder is
     * in the store, and the next start announces the latest one again.
     */
    public void announce(Path folder, TrainerState state, Map<String, Double> metrics) {
        PolicyCheckpoint record = signer.sign(PolicyCheckpoint.newBuilder()
                .setVersion(state.version())
                .setStep(state.step())
                .setUri(folder.toUri().toString())
                .setSha256(Sha256Manifest.digest(folder))
                .setFormat(format)
                .setBaseModel(baseModel.name())
                .setBaseModelSha256(baseModel.sha256())
                .setCreatedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setMetrics(metrics)
                .setConsumedOffsets(state.consumedOffsets())
                .build());
        try {
            producer.send(new ProducerRecord<>(topic, baseModel.name(), record)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing " + folder, e);
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.ERROR, "could not announce checkpoint " + folder, e);
        }
    }
}
