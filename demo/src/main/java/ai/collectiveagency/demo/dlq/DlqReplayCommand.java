package ai.collectiveagency.demo.dlq;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dlq replay TOPIC (--offsets a,b,c | --all) [--key K] [--dry-run]}: sends the chosen
 * dead letters back to their origin topic (the {@code dead-letter-topic} header, else the data
 * topic) with their key and bytes as they were, the headers they kept from their origin, and
 * {@code dead-letter-replayed-from: <dlq>:<partition>:<offset>}; prints each. A dead letter
 * whose origin is not on the cluster, or an offset that is not there, refuses the whole replay
 * before anything is sent. The dead letters stay on their topic.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Sends chosen dead letters of TOPIC back to their origin topic.")
final class DlqReplayCommand implements Callable<Integer> {

    @ParentCommand
    private DlqCommand parent;

    @Mixin
    private KafkaOptions kafka;

    @Parameters(paramLabel = "TOPIC",
            description = "A data topic, e.g. alignment.scored, or its dead-letter topic.")
    private String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Which which;

    /** Exactly one of the two. */
    static final class Which {
        @Option(names = "--offsets", split = ",", paramLabel = "OFFSET",
                description = "Offsets of the dead-letter topic, comma-separated; "
                        + "PARTITION:OFFSET where it has several partitions.")
        private String[] offsets;

        @Option(names = "--all", description = "Every dead letter of the topic.")
        private boolean all;
    }

    @Option(names = "--key", paramLabel = "K",
            description = "Only dead letters with key K (a task id).")
    private String key;

    @Option(names = "--dry-run", description = "Prints what would be sent; sends nothing.")
    private boolean dryRun;

    @Override
    public Integer call() throws Exception {
        return DlqCommand.reporting(() -> {
            DeadLetterTopic topics = DeadLetterTopic.of(topic);
            ReplaySelection selection = new ReplaySelection(
                    Optional.ofNullable(which.offsets).map(offsets -> Arrays.stream(offsets)
                            .map(ReplaySelection.Offset::parse).toList()),
                    Optional.ofNullable(key));
            List<Replay> replays;
            try (DeadLetterReader reader = DeadLetterReader.open(
                    kafka.settings(parent.root()))) {
                List<DeadLetter> chosen = selection.choose(
                        reader.read(topics.dlqTopic(), OptionalInt.empty()), topics.dlqTopic());
                replays = Replay.plan(chosen, topics, reader);
            }
            PrintStream out = parent.out();
            if (replays.isEmpty()) {
                out.println("no dead letter of " + topics.dlqTopic() + " chosen; nothing sent");
            } else if (dryRun) {
                replays.forEach(replay -> out.println("would replay " + replay.describe()));
                out.println("dry run: " + replays.size() + " dead letter(s), nothing sent");
            } else {
                ReplaySender.send(replays, kafka.settings(parent.root()), out);
                out.println(replays.size() + " dead letter(s) replayed from "
                        + topics.dlqTopic());
            }
            return 0;
        });
    }
}
