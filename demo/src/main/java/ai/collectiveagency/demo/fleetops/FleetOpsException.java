package ai.collectiveagency.demo.fleetops;

/** A fleet operation that was refused or failed, with a message an operator can act on. */
public final class FleetOpsException extends RuntimeException {

    public FleetOpsException(String message) {
        super(message);
    }

    public FleetOpsException(String message, Throwable cause) {
        super(message, cause);
    }
}
