package ai.collectiveagency.demo.fleetops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleet pin vN}: every rollout replica serves version N (loaded from the checkpoint
 * store, if it must, a lower version too) and adopts no newer checkpoint until
 * {@code fleet unpin}. The trainer keeps training and announcing.
 */
@Command(name = "pin", mixinStandardHelpOptions = true,
        description = "Pins the rollout fleet to policy version N until unpinned.")
final class PinCommand implements Callable<Integer> {

    @ParentCommand
    private FleetCommand parent;

    @Mixin
    private PinOptions options;

    @Parameters(paramLabel = "VERSION",
            description = "The version to serve: vN or N, a checkpoint still in the store.")
    private String version;

    @Override
    public Integer call() {
        return Reporting.run(() -> {
            long pinned = PolicyVersion.parse(version);
            FleetPinWriter.Written written = options.writer(parent.root())
                    .pin(pinned, options.reason());
            parent.out().println("pinned the fleet to version " + pinned + " (" + written.topic()
                    + " partition " + written.partition() + " offset " + written.offset()
                    + ", key " + written.record().getKeyId() + "); every rollout replica that"
                    + " trusts the key serves it until ./pipeline fleet unpin");
            return 0;
        });
    }
}
