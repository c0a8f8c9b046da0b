package ai.collectiveagency.kafka;

import ai.collectiveagency.kafka.topics.TopicCatalogue;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local broker until SIGINT/SIGTERM:
 * {@code java -cp kafka-local.jar:lib/* ai.collectiveagency.kafka.LocalKafkaMain
 * [--data DIR] [--port N] [--prefix P]}. Prints one line once the topics exist:
 * {@code kafka listening on 127.0.0.1:PORT (data DIR)}. Bad arguments, or a port in use, exit
 * with code 2 and one {@code error: ...} line on stderr.
 */
public final class LocalKafkaMain {

    /** Exit code of a bad command line. */
    public static final int USAGE_ERROR = 2;

    private LocalKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalKafkaArguments arguments;
        LocalKafka kafka;
        try {
            arguments = LocalKafkaArguments.parse(args);
            kafka = LocalKafka.start(arguments.dataDir(), arguments.port(),
                    TopicCatalogue.withPrefix(arguments.prefix()));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(USAGE_ERROR);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "local-kafka-shutdown"));
        System.out.println("kafka listening on " + kafka.bootstrapServers()
                + " (data " + arguments.dataDir() + ")");
        System.out.flush();
        stopped.await();
    }
}
