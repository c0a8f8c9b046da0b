package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.model.LinearAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import io.micrometer.core.instrument.Timer;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * Makes a published checkpoint the served policy: verifies it ({@link CheckpointVerifier}: the
 * signature first), loads it on the calling thread (never the policy worker, which keeps
 * serving) from the bytes it hashes ({@link CheckpointLoader}), then installs it with
 * {@link PolicyRunner#swap} between two jobs. A LORA adapter goes onto the base model (the
 * previous adapter is closed); a FULL checkpoint becomes a new {@link Policy} (the previous one
 * is closed). Versions only move forward. A refused checkpoint is logged with its reason and
 * counted, and the served policy stays as it was: a refused record, whatever version it claims,
 * never changes what later records are compared against (only an adopted one does).
 *
 * <pre>{@code
 * CheckpointAdopter adopter = new CheckpointAdopter(runner, verifier, metrics);
 * adopter.adoptNewest(records);     // tries the newest first, falls back to older ones
 * }</pre>
 */
public final class CheckpointAdopter {

    private static final System.Logger LOG = System.getLogger(CheckpointAdopter.class.getName());

    private final PolicyRunner runner;
    private final CheckpointVerifier verifier;
    private final CheckpointLoader loader;
    private final CheckpointMetrics metrics;
    private final Policy base; // the base model, which LORA adapters apply to

    public CheckpointAdopter(PolicyRunner runner, CheckpointVerifier verifier,
            CheckpointMetrics metrics) {
        this.runner = runner;
        this.verifier = verifier;
        this.loader = new CheckpointLoader(verifier.base().folder());
        this.metrics = metrics;
        this.base = runner.current().policy();
    }

    /**
     * Adopts the newest of {@code checkpoints} newer than the served version that verifies and
     * loads; older ones are tried only when a newer one is refused.
     *
     * @return the version adopted, or empty when none was
     */
    public synchronized OptionalLong adoptNewest(List<PolicyCheckpoint> checkpoints) {
        List<PolicyCheckpoint> newestFirst = checkpoints.stream()
                .sorted(Comparator.comparingLong(PolicyCheckpoint::getVersion).reversed())
                .toList();
        for (PolicyCheckpoint checkpoint : newestFirst) {
            if (adopt(checkpoint)) {
                return OptionalLong.of(checkpoint.getVersion());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Adopts one checkpoint, or refuses or ignores it.
     *
     * @return whether it is served now
     */
    public synchronized boolean adopt(PolicyCheckpoint checkpoint) {
        long loadNanos;
        long swapNanos;
        try {
            Timer.Sample loading = Timer.start();
            VerifiedCheckpoint verified = verifier.verify(checkpoint, runner.current().version());
            UnaryOperator<ServedPolicy> install = load(verified);
            loadNanos = loading.stop(metrics.load());
            Timer.Sample swapping = Timer.start();
            runner.swap(install).join();
            swapNanos = swapping.stop(metrics.swap());
        } catch (CheckpointRefusedException e) {
            refuse(e);
            return false;
        } catch (RuntimeException e) {
            // a swap that failed on the worker comes wrapped by join()
            Throwable cause = e instanceof CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            refuse(new CheckpointRefusedException(RefusalReason.LOAD, "checkpoint version "
                    + checkpoint.getVersion() + ": " + cause, cause));
            return false;
        }
        metrics.adopted();
        LOG.log(System.Logger.Level.INFO, "serving checkpoint version " + checkpoint.getVersion()
                + " (" + checkpoint.getFormat() + ", step " + checkpoint.getStep() + ", "
                + checkpoint.getUri() + "): verified and loaded in " + loadNanos / 1_000_000
                + " ms, installed " + swapNanos / 1_000_000 + " ms later");
        return true;
    }

    private void refuse(CheckpointRefusedException e) {
        metrics.refused(e.reason());
        // a replayed or re-announced version is routine (a trainer restart announces again)
        System.Logger.Level level = e.reason() == RefusalReason.NOT_NEWER
                ? System.Logger.Level.INFO : System.Logger.Level.WARNING;
        LOG.log(level, "checkpoint refused (" + e.reason().tag() + "): " + e.getMessage()
                + "; still serving version " + runner.current().version());
    }

    /** Loads the verified folder; returns the change that installs it on the policy worker. */
    private UnaryOperator<ServedPolicy> load(VerifiedCheckpoint checkpoint) {
        long version = checkpoint.record().getVersion();
        if (checkpoint.record().getFormat() == CheckpointFormat.LORA) {
            if (runner.current().policy() != base) {
                throw new CheckpointRefusedException(RefusalReason.FORMAT, checkpoint.label()
                        + ": a LORA adapter needs the base model's weights, but a FULL"
                        + " checkpoint (version " + runner.current().version() + ") is served");
            }
            LoraAdapter adapter = loader.adapter(checkpoint, base.model());
            return old -> installAdapter(old, adapter, version);
        }
        Policy full = loader.full(checkpoint);
        return old -> {
            ServedPolicy next = new ServedPolicy(full, version, old.modelName());
            closeQuietly(old.policy(), "policy of version " + old.version());
            return next;
        };
    }

    private static ServedPolicy installAdapter(ServedPolicy old, LoraAdapter adapter,
            long version) {
        Llama model = old.policy().model();
        LinearAdapter previous = model.adapter();
        model.setAdapter(adapter); // the Java decoder re-snapshots its weights on the next call
        if (previous instanceof AutoCloseable closeable) {
            closeQuietly(closeable, "adapter of version " + old.version());
        }
        return new ServedPolicy(old.policy(), version, old.modelName());
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing the " + what + " failed", e);
        }
    }
}
