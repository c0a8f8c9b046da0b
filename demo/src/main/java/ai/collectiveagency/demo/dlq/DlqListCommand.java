package ai.collectiveagency.demo.dlq;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dlq list TOPIC [--limit N] [--json]}: the dead letters of TOPIC, oldest first, as a
 * table (partition, offset, key, reason, origin topic:partition:offset, size in bytes,
 * timestamp) or one JSON object per line. Changes nothing on the cluster.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Shows the dead letters of TOPIC (a data topic or its .dlq).")
final class DlqListCommand implements Callable<Integer> {

    @ParentCommand
    private DlqCommand parent;

    @Mixin
    private KafkaOptions kafka;

    @Parameters(paramLabel = "TOPIC",
            description = "A data topic, e.g. alignment.scored, or its dead-letter topic.")
    private String topic;

    @Option(names = "--limit", paramLabel = "N",
            description = "Only the newest N dead letters (default: all).")
    private Integer limit;

    @Option(names = "--json", description = "One JSON object per dead letter and line.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--limit must be at least 1, got " + limit);
        }
        return DlqCommand.reporting(() -> {
            DeadLetterTopic topics = DeadLetterTopic.of(topic);
            List<DeadLetter> letters;
            try (DeadLetterReader reader = DeadLetterReader.open(
                    kafka.settings(parent.root()))) {
                letters = reader.read(topics.dlqTopic(),
                        limit == null ? OptionalInt.empty() : OptionalInt.of(limit));
            }
            if (json) {
                DeadLetterListing.jsonLines(letters, parent.out());
            } else {
                DeadLetterListing.table(letters, topics.dlqTopic(), parent.out());
            }
            return 0;
        });
    }
}
