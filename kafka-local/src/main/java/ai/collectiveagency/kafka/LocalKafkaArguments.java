package ai.collectiveagency.kafka;

import ai.collectiveagency.kafka.topics.TopicCatalogue;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The command line of {@link LocalKafkaMain}.
 *
 * @param dataDir {@code --data DIR}: the broker's folder (default {@code ./runs/kafka})
 * @param port {@code --port N}: client port on 127.0.0.1, 1..65535 (default 9092)
 * @param prefix {@code --prefix P}: topic name prefix (default {@code alignment.})
 */
public record LocalKafkaArguments(Path dataDir, int port, String prefix) {

    public static final Path DEFAULT_DATA_DIR = Path.of("./runs/kafka");
    public static final int DEFAULT_PORT = 9092;
    public static final String USAGE =
            "usage: LocalKafkaMain [--data DIR] [--port N] [--prefix P]";

    public LocalKafkaArguments {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(prefix, "prefix");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1..65535, got " + port);
        }
    }

    /** Parses {@code args}; throws IllegalArgumentException with a one-line reason. */
    public static LocalKafkaArguments parse(String... args) {
        Path dataDir = DEFAULT_DATA_DIR;
        int port = DEFAULT_PORT;
        String prefix = TopicCatalogue.DEFAULT_PREFIX;
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE);
            }
            String value = args[i + 1];
            switch (option) {
                case "--data" -> dataDir = Path.of(value);
                case "--port" -> port = parsePort(value);
                case "--prefix" -> prefix = value;
                default -> throw new IllegalArgumentException(
                        "unknown option " + option + "; " + USAGE);
            }
        }
        return new LocalKafkaArguments(dataDir, port, prefix);
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got " + value);
        }
    }
}
