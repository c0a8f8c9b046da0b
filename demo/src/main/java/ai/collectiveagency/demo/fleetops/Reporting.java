package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.cli.CommandMain;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** Runs a fleet operation, turning what an operator should read into one error line. */
final class Reporting {

    private Reporting() {
    }

    static int run(Callable<Integer> work) {
        try {
            return work.call();
        } catch (FleetException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return FleetCommand.FAILED;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return CommandMain.USAGE_ERROR;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            System.err.println("error: " + e);
            return FleetCommand.FAILED;
        }
    }
}
