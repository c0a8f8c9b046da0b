package ai.collectiveagency.demo.fleetops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code fleet unpin}: the rollout fleet serves the newest valid checkpoint again. */
@Command(name = "unpin", mixinStandardHelpOptions = true,
        description = "Lifts the pin: the rollout fleet adopts the newest checkpoint again.")
final class UnpinCommand implements Callable<Integer> {

    @ParentCommand
    private FleetCommand parent;

    @Mixin
    private PinOptions options;

    @Override
    public Integer call() {
        return Reporting.run(() -> {
            FleetPinWriter.Written written = options.writer(parent.root())
                    .unpin(options.reason());
            parent.out().println("unpinned the fleet (" + written.topic() + " partition "
                    + written.partition() + " offset " + written.offset() + ", key "
                    + written.record().getKeyId() + "); every rollout replica adopts the newest"
                    + " valid checkpoint");
            return 0;
        });
    }
}
