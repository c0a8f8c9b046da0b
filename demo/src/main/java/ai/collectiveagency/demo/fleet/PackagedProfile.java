package ai.collectiveagency.demo.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The keys a Quarkus profile sets in a packaged service: its {@code %<profile>.<key>} lines
 * (also {@code %a,b.<key>}) in the {@code application.properties} that the fast-jar layout
 * keeps in {@code quarkus-app/app/*.jar}, beside the app's {@code quarkus-run.jar}. The service
 * reads exactly that file, so these are the keys the profile owns there.
 */
final class PackagedProfile {

    private static final String PROPERTIES = "application.properties";

    private PackagedProfile() {
    }

    /**
     * The keys {@code profile} sets in the app whose launcher is {@code quarkusRunJar}; none
     * when the app is not packaged (its start then fails, naming the missing jar).
     */
    static Set<String> keys(Path quarkusRunJar, String profile) {
        Set<String> keys = new TreeSet<>();
        Path appJars = quarkusRunJar.resolveSibling("app");
        if (!Files.isDirectory(appJars)) {
            return keys;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(appJars, "*.jar")) {
            for (Path jar : jars) {
                Properties properties = read(jar);
                for (String key : properties.stringPropertyNames()) {
                    int dot = key.indexOf('.');
                    if (key.startsWith("%") && dot > 1 && Arrays.asList(
                            key.substring(1, dot).split(",")).contains(profile)) {
                        keys.add(key.substring(dot + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged app in " + appJars, e);
        }
        return keys;
    }

    private static Properties read(Path jar) throws IOException {
        Properties properties = new Properties();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(PROPERTIES);
            if (entry != null) {
                try (InputStream in = zip.getInputStream(entry)) {
                    properties.load(in);
                }
            }
        }
        return properties;
    }
}
