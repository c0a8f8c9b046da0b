package ai.collectiveagency.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;

/** The data folder of a KRaft node: formatted once, then reused as it is. */
final class KraftStorage {

    private KraftStorage() {
    }

    /** True when the folder already holds a formatted log directory. */
    static boolean isFormatted(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME));
    }

    /**
     * Formats the folder as a new single-node cluster unless it is formatted already; existing
     * topics and records are kept.
     *
     * @return true when this call formatted it
     */
    static boolean formatIfNew(BrokerConfig config) throws Exception {
        Path dataDir = config.dataDir().toAbsolutePath();
        if (isFormatted(dataDir)) {
            return false;
        }
        createDirectories(dataDir);
        new Formatter()
                // The formatter reports to stdout; the command line owns stdout.
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(BrokerConfig.NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(dataDir.toString())
                .setMetadataLogDirectory(dataDir.toString())
                .setControllerListenerName(BrokerConfig.CONTROLLER_LISTENER)
                .run();
        return true;
    }

    private static void createDirectories(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create data folder " + dataDir, e);
        }
    }
}
