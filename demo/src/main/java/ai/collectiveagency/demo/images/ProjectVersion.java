package ai.collectiveagency.demo.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project's version (the parent pom's), as the build wrote it into this module's
 * {@code project.properties}: the images' default tag.
 */
final class ProjectVersion {

    private static final String RESOURCE = "project.properties";

    private ProjectVersion() {
    }

    static String read() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: build the demo module"
                        + " with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.contains("${")) {
                throw new IllegalStateException(RESOURCE + " was not filled in by the build: "
                        + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
