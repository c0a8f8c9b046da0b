package ai.collectiveagency.demo.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * A run continued with the same {@code --run} writes a new report and metrics log; the earlier
 * session's are kept, moved to {@code earlier/<when that session ended>/} in the run folder.
 */
public final class EarlierSessions {

    static final String FOLDER = "earlier";
    private static final DateTimeFormatter STAMP = DateTimeFormatter
            .ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private EarlierSessions() {}

    /**
     * Moves the report and metrics log of the session before this one, if any, out of the way.
     *
     * @return where they went, when there were any
     */
    public static Optional<Path> keep(Path runFolder) {
        List<Path> files = List.of(runFolder.resolve(RunReport.FILE),
                runFolder.resolve(MetricsLog.FILE)).stream().filter(Files::isRegularFile).toList();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path latest = files.get(0);
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).compareTo(
                        Files.getLastModifiedTime(latest)) > 0) {
                    latest = file;
                }
            }
            String stamp = STAMP.format(Files.getLastModifiedTime(latest).toInstant());
            Path target = runFolder.resolve(FOLDER).resolve(stamp);
            for (int n = 2; Files.exists(target); n++) {
                target = runFolder.resolve(FOLDER).resolve(stamp + "-" + n);
            }
            Files.createDirectories(target);
            for (Path file : files) {
                Files.move(file, target.resolve(file.getFileName()));
            }
            return Optional.of(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the earlier session's report in "
                    + runFolder.resolve(FOLDER), e);
        }
    }
}
