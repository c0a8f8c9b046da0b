package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.SignatureCheck;
import ai.collectiveagency.schemas.signing.SigningKeyException;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Adopts announced checkpoints as the operator's pin allows ({@code ./pipeline fleet pin}):
 * unpinned, the newest valid one, as {@link CheckpointAdopter#adoptNewest} does; pinned to N,
 * version N (loaded from the store if another one is served, lower ones too, verified as any
 * checkpoint: it must have been announced on the checkpoints topic as this replica read it) and
 * nothing newer. Announcements that arrive while pinned are remembered; an unpin adopts the
 * newest of them that is valid.
 *
 * <p>A pin counts only when signed by an operator key of {@code rollout.control.public-keys}:
 * an unsigned, unknown or altered record, or any record while no key is set, is refused,
 * counted ({@link PinRefusal}) and changes nothing. An authentic pin to a version that was never
 * announced, or whose checkpoint is refused (its files gone from the store, say), is counted
 * too; the replica then keeps serving what it serves and adopts nothing newer until unpinned or
 * pinned to a version it can load. The operator's intent, not the newest checkpoint, holds.
 *
 * <p>Every announcement read is kept (a manifest is a few KiB) for the life of the replica; a
 * restarted replica knows what the compacted checkpoints topic still holds.
 *
 * <pre>{@code
 * FleetPinAdoption adoption = new FleetPinAdoption(adopter, () -> runner.current().version(),
 *         operatorKeys, pinMetrics);
 * adoption.start(checkpointsReadToEnd, pinsReadToEnd);
 * adoption.announced(newCheckpoints);  // from the follower thread
 * adoption.controlled(newPins);
 * }</pre>
 */
public final class FleetPinAdoption {

    /** The key that names the trusted operator keys. */
    static final String PUBLIC_KEYS = "rollout.control.public-keys";

    private static final System.Logger LOG = System.getLogger(FleetPinAdoption.class.getName());

    private final CheckpointAdopter adopter;
    private final LongSupplier servedVersion;
    private final Optional<TrustedKeys> operators;
    private final FleetPinMetrics metrics;
    private final NavigableMap<Long, PolicyCheckpoint> announced = new TreeMap<>();
    private OptionalLong pin = OptionalLong.empty();
    private boolean noKeysLogged;

    /**
     * @param operators the operators' keys; empty refuses every pin
     */
    public FleetPinAdoption(CheckpointAdopter adopter, LongSupplier servedVersion,
            Optional<TrustedKeys> operators, FleetPinMetrics metrics) {
        this.adopter = adopter;
        this.servedVersion = servedVersion;
        this.operators = operators;
        this.metrics = metrics;
    }

    /**
     * The operators' keys of {@code rollout.control.public-keys}; empty when it is not set.
     *
     * @throws IllegalArgumentException naming the key and the file that cannot be read
     */
    static Optional<TrustedKeys> operatorKeys(FleetPinConfig config) {
        List<Path> files = config.publicKeys().orElse(List.of());
        if (files.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TrustedKeys.fromPem(files));
        } catch (SigningKeyException e) {
            throw new IllegalArgumentException(PUBLIC_KEYS + ": " + e.getMessage(), e);
        }
    }

    /**
     * At start-up, with both topics read to their end: applies the latest authentic pin, then
     * adopts the pinned version, or else the newest valid checkpoint.
     */
    public synchronized void start(List<PolicyCheckpoint> checkpoints, List<FleetPin> pins) {
        remember(checkpoints);
        latestAuthentic(pins).ifPresent(this::record);
        if (pin.isPresent()) {
            servePin();
        } else {
            adopter.adoptNewest(checkpoints);
        }
    }

    /** Checkpoints announced since: the newest valid one is adopted unless pinned. */
    public synchronized void announced(List<PolicyCheckpoint> checkpoints) {
        remember(checkpoints);
        if (pin.isEmpty()) {
            adopter.adoptNewest(checkpoints);
            return;
        }
        long pinned = pin.getAsLong();
        boolean pinnedArrived = checkpoints.stream().anyMatch(c -> c.getVersion() == pinned);
        if (pinnedArrived && servedVersion.getAsLong() != pinned) {
            servePin();
        } else {
            LOG.log(System.Logger.Level.INFO, "pinned to version " + pinned + ": announced "
                    + checkpoints.stream().map(PolicyCheckpoint::getVersion).toList()
                    + " kept, not adopted until unpinned");
        }
    }

    /** Records read from the control topic since, oldest first: the latest authentic counts. */
    public synchronized void controlled(List<FleetPin> pins) {
        Optional<FleetPin> latest = latestAuthentic(pins);
        if (latest.isEmpty()) {
            return;
        }
        boolean wasPinned = pin.isPresent();
        record(latest.get());
        if (pin.isPresent()) {
            servePin();
        } else if (wasPinned) {
            adoptNewestAnnounced();
        }
    }

    /** A record that does not decode, counted as the pins' refusal. */
    void malformed() {
        metrics.refused(PinRefusal.MALFORMED);
    }

    private void remember(List<PolicyCheckpoint> checkpoints) {
        checkpoints.forEach(checkpoint -> announced.put(checkpoint.getVersion(), checkpoint));
    }

    /** Takes the record's state as the fleet's. */
    private void record(FleetPin record) {
        String who = " by " + record.getIssuer() + " (key " + record.getKeyId()
                + (record.getReason() == null ? "" : ", reason: " + record.getReason()) + ")";
        if (record.getPinned()) {
            pin = OptionalLong.of(record.getVersion());
            metrics.pinned(record.getVersion());
            LOG.log(System.Logger.Level.WARNING, "fleet pinned to version " + record.getVersion()
                    + who + "; adopting no newer checkpoint until unpinned");
        } else {
            pin = OptionalLong.empty();
            metrics.unpinned();
            LOG.log(System.Logger.Level.INFO, "fleet unpinned" + who);
        }
    }

    /** Serves the pinned version, or says why it cannot and holds what is served. */
    private void servePin() {
        long pinned = pin.getAsLong();
        long served = servedVersion.getAsLong();
        if (served == pinned) {
            LOG.log(System.Logger.Level.INFO, "serving the pinned version " + pinned);
            return;
        }
        PolicyCheckpoint checkpoint = announced.get(pinned);
        if (checkpoint == null) {
            metrics.refused(PinRefusal.NOT_ANNOUNCED);
            LOG.log(System.Logger.Level.WARNING, "pin refused (" + PinRefusal.NOT_ANNOUNCED.tag()
                    + "): version " + pinned + " was never announced on the checkpoints topic"
                    + " as this replica read it (announced: " + range() + "); still serving"
                    + " version " + served + ", adopting nothing newer until unpinned");
            return;
        }
        if (!adopter.adoptPinned(checkpoint)) {
            metrics.refused(PinRefusal.NOT_LOADED);
            LOG.log(System.Logger.Level.WARNING, "pin refused (" + PinRefusal.NOT_LOADED.tag()
                    + "): checkpoint version " + pinned + " was refused (the reason is logged"
                    + " above); still serving version " + servedVersion.getAsLong()
                    + ", adopting nothing newer until unpinned");
        }
    }

    /** After an unpin: the newest announced version above the served one that is valid. */
    private void adoptNewestAnnounced() {
        List<PolicyCheckpoint> newer = List.copyOf(
                announced.tailMap(servedVersion.getAsLong(), false).values());
        if (adopter.adoptNewest(newer).isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "unpinned: no newer valid checkpoint than version "
                    + servedVersion.getAsLong() + "; serving it until the trainer announces one");
        }
    }

    private Optional<FleetPin> latestAuthentic(List<FleetPin> pins) {
        FleetPin latest = null;
        for (FleetPin record : pins) {
            Optional<PinRefusal> refusal = refusalOf(record);
            if (refusal.isPresent()) {
                metrics.refused(refusal.get());
            } else {
                latest = record;
            }
        }
        return Optional.ofNullable(latest);
    }

    private Optional<PinRefusal> refusalOf(FleetPin record) {
        String what = record.getPinned() ? "pin to version " + record.getVersion() : "unpin";
        if (operators.isEmpty()) {
            if (!noKeysLogged) {
                noKeysLogged = true;
                LOG.log(System.Logger.Level.WARNING, what + " refused (" + PinRefusal.NO_KEYS.tag()
                        + "): no operator key is trusted; set " + PUBLIC_KEYS + " to the"
                        + " operators' public key file(s) (./pipeline keygen --name operator)"
                        + " to let ./pipeline fleet pin act (logged once, counted each time)");
            }
            return Optional.of(PinRefusal.NO_KEYS);
        }
        SignatureCheck check = operators.get().verify(record);
        if (check.valid()) {
            return Optional.empty();
        }
        PinRefusal reason = switch (check.outcome()) {
            case UNSIGNED -> PinRefusal.UNSIGNED;
            case UNKNOWN_KEY -> PinRefusal.UNKNOWN_KEY;
            default -> PinRefusal.SIGNATURE;
        };
        LOG.log(System.Logger.Level.WARNING, what + " by " + record.getIssuer() + " refused ("
                + reason.tag() + "): " + check.detail() + "; nothing changes");
        return Optional.of(reason);
    }

    private String range() {
        return announced.isEmpty() ? "none"
                : "versions " + announced.firstKey() + " to " + announced.lastKey();
    }
}
