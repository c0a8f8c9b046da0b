package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.CheckpointLoader;
import ai.collectiveagency.selfplay.checkpoint.CheckpointRefusedException;
import ai.collectiveagency.selfplay.checkpoint.CheckpointVerifier;
import ai.collectiveagency.selfplay.checkpoint.RefusalReason;
import ai.collectiveagency.selfplay.checkpoint.VerifiedCheckpoint;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.model.LinearAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.rollout.remote.EngineUnavailableException;
import ai.collectiveagency.rollout.remote.RemoteEngineException;
import ai.collectiveagency.rollout.remote.RemoteEngines;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.RecordFailure;
import io.micrometer.core.instrument.Timer;
import java.io.OutputStream;
import java.time.Duration;
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
 * is closed). Versions only move forward, except to the version the fleet is pinned to
 * ({@link #adoptPinned}, {@link FleetPinAdoption}). A refused checkpoint is logged with its reason and
 * counted, and the served policy stays as it was: a refused record, whatever version it claims,
 * never changes what later records are compared against (only an adopted one does).
 *
 * <p>A refusal that a slow shared file system can explain (files missing or not yet the bytes
 * listed: {@link VerifyAttempts#RETRIED}) is tried again, {@code rollout.checkpoints.verify-
 * attempts} times in all with a doubling backoff, before it counts; any other refusal counts at
 * once. An {@link Error} while adopting (other than the JVM failing, which is rethrown) refuses
 * that checkpoint as {@code load} like an exception. The {@link AdoptionListener} hears which
 * version is being loaded before its files are read, and which one is served after.
 *
 * <pre>{@code
 * CheckpointAdopter adopter = new CheckpointAdopter(runner, verifier, metrics,
 *         VerifyAttempts.of(config), lease);
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
    private final VerifyAttempts attempts;
    private final AdoptionListener listener;
    private final RemoteEngines remote;

    /** An adopter that refuses at the first failure and tells nobody what it loads. */
    public CheckpointAdopter(PolicyRunner runner, CheckpointVerifier verifier,
            CheckpointMetrics metrics) {
        this(runner, verifier, metrics, VerifyAttempts.ONCE, AdoptionListener.NONE, null);
    }

    CheckpointAdopter(PolicyRunner runner, CheckpointVerifier verifier, CheckpointMetrics metrics,
            VerifyAttempts attempts, AdoptionListener listener) {
        this(runner, verifier, metrics, attempts, listener, null);
    }

    /**
     * @param remote the engines that sample rollouts, or null (or not enabled): the policy in
     *     this process does
     */
    CheckpointAdopter(PolicyRunner runner, CheckpointVerifier verifier, CheckpointMetrics metrics,
            VerifyAttempts attempts, AdoptionListener listener, RemoteEngines remote) {
        this.runner = runner;
        this.verifier = verifier;
        this.loader = new CheckpointLoader(verifier.base().folder());
        this.metrics = metrics;
        this.base = runner.current().policy();
        this.attempts = attempts;
        this.listener = listener;
        this.remote = remote != null && remote.enabled() ? remote : null;
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
     * Adopts one checkpoint newer than the served version, or refuses or ignores it.
     *
     * @return whether it is served now
     */
    public synchronized boolean adopt(PolicyCheckpoint checkpoint) {
        return adopt(checkpoint, false);
    }

    /**
     * Adopts the checkpoint of the version the fleet is pinned to, lower than the served one
     * too, verified and loaded as any other; refuses it when it is served already.
     *
     * @return whether it is served now
     */
    public synchronized boolean adoptPinned(PolicyCheckpoint checkpoint) {
        return adopt(checkpoint, true);
    }

    private boolean adopt(PolicyCheckpoint checkpoint, boolean pinned) {
        // a version the verifier refuses for its number alone is refused before any file is read
        long served = runner.current().version();
        boolean reads = pinned ? checkpoint.getVersion() != served
                : checkpoint.getVersion() > served;
        if (reads) {
            listener.loading(checkpoint.getVersion());
        }
        try {
            return adoptWithinAttempts(checkpoint, pinned);
        } finally {
            if (reads) {
                listener.settled(runner.current().version());
            }
        }
    }

    private boolean adoptWithinAttempts(PolicyCheckpoint checkpoint, boolean pinned) {
        for (int attempt = 1; ; attempt++) {
            try {
                install(checkpoint, pinned);
                return true;
            } catch (CheckpointRefusedException e) {
                if (!attempts.retries(e.reason(), attempt) || !waitAfter(attempt, e)) {
                    refuse(e);
                    return false;
                }
            } catch (RuntimeException | Error e) {
                if (RecordFailure.of(e) == RecordFailure.FATAL) {
                    throw e;
                }
                // a swap that failed on the worker comes wrapped by join()
                Throwable cause = e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                refuse(new CheckpointRefusedException(RefusalReason.LOAD, "checkpoint version "
                        + checkpoint.getVersion() + ": " + cause, cause));
                return false;
            }
        }
    }

    /** Verifies, loads and swaps {@code checkpoint} in, or throws why not. */
    private void install(PolicyCheckpoint checkpoint, boolean pinned) {
        Timer.Sample loading = Timer.start();
        VerifiedCheckpoint verified = verifier.verify(checkpoint, runner.current().version(),
                pinned);
        UnaryOperator<ServedPolicy> install = load(verified);
        long loadNanos = loading.stop(metrics.load());
        Timer.Sample swapping = Timer.start();
        runner.swap(install).join();
        long swapNanos = swapping.stop(metrics.swap());
        metrics.adopted();
        LOG.log(System.Logger.Level.INFO, "serving " + (pinned ? "pinned " : "")
                + "checkpoint version " + checkpoint.getVersion() + " (" + checkpoint.getFormat()
                + ", step " + checkpoint.getStep() + ", " + checkpoint.getUri() + "): verified and loaded in " + loadNanos / 1_000_000
                + " ms, installed " + swapNanos / 1_000_000 + " ms later");
    }

    /** Waits before attempt {@code attempt + 1}; false when interrupted (then it refuses). */
    private boolean waitAfter(int attempt, CheckpointRefusedException refusal) {
        Duration wait = attempts.waitAfter(attempt);
        LOG.log(System.Logger.Level.INFO, "checkpoint not ready (" + refusal.reason().tag()
                + ", attempt " + attempt + " of " + attempts.attempts() + "): "
                + refusal.getMessage() + "; trying again in " + wait.toMillis() + " ms");
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        if (remote != null) {
            return loadOnEngines(checkpoint, version);
        }
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

    /**
     * Remote generation: a LORA adapter goes to the engines by runtime LoRA loading, from the
     * folder's path in the shared store, after its bytes were checked here against the signed
     * manifest (loaded once, then closed: the engines read the same files). A FULL checkpoint
     * cannot be loaded into running engines: they are restarted with it as their model.
     */
    private UnaryOperator<ServedPolicy> loadOnEngines(VerifiedCheckpoint checkpoint,
            long version) {
        if (checkpoint.record().getFormat() != CheckpointFormat.LORA) {
            throw new CheckpointRefusedException(RefusalReason.FORMAT, checkpoint.label()
                    + ": a FULL checkpoint cannot be loaded into running inference engines"
                    + " (rollout.generation=remote); restart them with its folder "
                    + checkpoint.folder().path() + " as --model (k8s/README.md, \"The vLLM engine\")");
        }
        requireListedBytes(checkpoint);
        try {
            remote.load(version, checkpoint.folder().path(), checkpoint.record().getSha256());
        } catch (EngineUnavailableException e) {
            throw new CheckpointRefusedException(RefusalReason.ENGINE_UNAVAILABLE,
                    checkpoint.label() + ": " + e.getMessage(), e);
        } catch (RemoteEngineException e) {
            throw new CheckpointRefusedException(RefusalReason.LOAD, checkpoint.label() + ": "
                    + e.getMessage(), e);
        }
        // On the worker, between two batches: the next batch leases the new adapter.
        return old -> {
            remote.serve(version);
            return new ServedPolicy(old.policy(), version, old.modelName());
        };
    }

    /**
     * Reads the adapter's files (PEFT's {@code adapter_*}, what an engine loads) through their
     * digests (the base's weights are not in this process to load them onto): a file that is not
     * the signed manifest's bytes is a {@link RefusalReason#CORRUPT} refusal before any engine is
     * asked to load it.
     */
    private static void requireListedBytes(VerifiedCheckpoint checkpoint) {
        try {
            for (String name : checkpoint.folder().files().keySet()) {
                if (!name.startsWith("adapter_")) {
                    continue; // the trainer's own state (optimizer, ledger filter)
                }
                checkpoint.folder().read(name, (in, size) -> in.transferTo(
                        OutputStream.nullOutputStream()));
            }
        } catch (RuntimeException e) {
            throw CheckpointRefusedException.of(checkpoint.label(), e);
        }
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
