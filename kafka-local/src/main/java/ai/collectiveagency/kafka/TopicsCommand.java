package ai.collectiveagency.kafka;

import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicReader;
import ai.collectiveagency.schemas.topics.TopicSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline topics [--prefix P] [--json]}: the topic catalogue as it is created and
 * secured, every topic with its partitions, cleanup policy, retention, record size limit, who
 * writes it and who reads it (with the consumer group, where there is one). Needs no broker.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Prints the pipeline's topic catalogue.")
public final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--prefix", defaultValue = TopicCatalogue.DEFAULT_PREFIX,
            description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
    private String prefix;

    @Option(names = "--json", description = "A JSON array, one object per topic.")
    private boolean json;

    private final PrintStream out;

    TopicsCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TopicsCommand(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<TopicSpec> topics = TopicCatalogue.withPrefix(prefix).all();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(asJson(topics)));
        } else {
            table(topics);
        }
        return 0;
    }

    /**
     * One object per topic: {@code name}, {@code partitions}, {@code cleanup_policy},
     * {@code retention_ms}, {@code max_message_bytes}, {@code writers} (user names) and
     * {@code readers} ({@code client}, {@code group} or null when assigned, and whether it is a
     * {@code transactional} stage).
     */
    public static ArrayNode asJson(List<TopicSpec> topics) {
        ArrayNode array = new ObjectMapper().createArrayNode();
        for (TopicSpec topic : topics) {
            ObjectNode node = array.addObject();
            node.put("name", topic.name());
            node.put("partitions", topic.partitions());
            node.put("cleanup_policy", topic.cleanupPolicy());
            node.put("retention_ms", topic.retentionMs());
            node.put("max_message_bytes", topic.maxMessageBytes());
            ArrayNode writers = node.putArray("writers");
            topic.access().writers().stream().map(PipelineClient::user).sorted()
                    .forEach(writers::add);
            ArrayNode readers = node.putArray("readers");
            for (TopicReader reader : topic.access().readers()) {
                ObjectNode r = readers.addObject();
                r.put("client", reader.client().user());
                r.put("group", reader.group().orElse(null));
                r.put("transactional", reader.transactional());
            }
        }
        return array;
    }

    private void table(List<TopicSpec> topics) {
        String format = "%-28s %10s  %-8s %14s %12s  %-36s %s%n";
        out.printf(format, "topic", "partitions", "cleanup", "retention ms", "max bytes",
                "writers", "readers (group)");
        for (TopicSpec topic : topics) {
            out.printf(format, topic.name(), topic.partitions(), topic.cleanupPolicy(),
                    topic.retentionMs(), topic.maxMessageBytes(),
                    String.join(",", topic.access().writers().stream()
                            .map(PipelineClient::user).sorted().toList()),
                    String.join(", ", topic.access().readers().stream()
                            .map(r -> r.client().user() + r.group().map(g -> " (" + g
                                    + (r.transactional() ? ", transactional" : "") + ")")
                                    .orElse(""))
                            .toList()));
        }
    }
}
