package ai.collectiveagency.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code ./pipeline demo}'s command line, parsed as the command parses it; nothing started. */
class DemoOptionsTest {

    private static DemoCommand parsed(String... args) {
        DemoCommand command = new DemoCommand(Path.of("."), System.out);
        CommandMain.commandLine(command).parseArgs(args);
        return command;
    }

    @ParameterizedTest
    @CsvSource({
        "'', demo",
        "'--mode negotiation', demo",
        "'--mode single-agent', demo-single-agent",
        "'--mode single-agent --run baseline', baseline",
        "'--run mine', mine",
    })
    void eachModeHasARunFolderOfItsOwnUnlessOneIsNamed(String args, String run) {
        DemoCommand command = parsed(args.isEmpty() ? new String[0] : args.split(" "));

        assertThat(command.runName()).isEqualTo(run);
    }

    @Test
    void anUnknownModeIsAUsageErrorNamingTheModes() {
        String err = usageError("--mode", "multi-agent");

        assertThat(err).startsWith("error: ")
                .contains("multi-agent").contains("negotiation").contains("single-agent");
    }

    @Test
    void aSampleFileLimitBelowOneMibIsAUsageErrorBeforeAnythingStarts() {
        assertThat(usageError("--samples-max-mib", "0"))
                .startsWith("error: --samples-max-mib must be at least 1");
    }

    /** Runs the command with {@code args}, expects the usage exit code; its standard error. */
    private static String usageError(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = CommandMain.commandLine(new DemoCommand(Path.of("."), System.out))
                    .execute(args);
        } finally {
            System.setErr(stderr);
        }
        assertThat(exit).isEqualTo(CommandMain.USAGE_ERROR);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theHelpNamesTheModesAndTheDefault() {
        String help = new CommandLine(new DemoCommand(Path.of("."), System.out))
                .getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(help).contains("--mode=<mode>").contains("single-agent")
                .contains("(default: negotiation)");
    }
}
