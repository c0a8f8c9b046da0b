package ai.collectiveagency.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Continuing a run does not overwrite the report of the session before it. */
class EarlierSessionsTest {

    @TempDir
    Path run;

    @Test
    void theEarlierReportAndMetricsMoveToAFolderNamedAfterWhenThatSessionEnded()
            throws Exception {
        Files.writeString(run.resolve(RunReport.FILE), "<html>first session</html>");
        Files.writeString(run.resolve(MetricsLog.FILE), "{\"type\":\"step\"}\n");
        Files.setLastModifiedTime(run.resolve(MetricsLog.FILE),
                FileTime.from(Instant.parse("2026-11-26T06:43:10Z")));
        Files.setLastModifiedTime(run.resolve(RunReport.FILE),
                FileTime.from(Instant.parse("2026-11-26T06:43:12Z")));

        Path earlier = EarlierSessions.keep(run).orElseThrow();

        assertThat(earlier).isEqualTo(run.resolve("earlier/20261126-064312"));
        assertThat(Files.readString(earlier.resolve(RunReport.FILE)))
                .isEqualTo("<html>first session</html>");
        assertThat(earlier.resolve(MetricsLog.FILE)).exists();
        assertThat(run.resolve(RunReport.FILE)).doesNotExist();
        assertThat(run.resolve(MetricsLog.FILE)).doesNotExist();
    }

    @Test
    void aFirstSessionHasNothingToKeep() {
        assertThat(EarlierSessions.keep(run)).isEmpty();
        assertThat(run.resolve(EarlierSessions.FOLDER)).doesNotExist();
    }

    @Test
    void twoSessionsEndingInTheSameSecondBothSurvive() throws Exception {
        FileTime ended = FileTime.from(Instant.parse("2026-11-26T06:43:12Z"));
        for (String session : new String[] {"one", "two"}) {
            Files.writeString(run.resolve(RunReport.FILE), session);
            Files.setLastModifiedTime(run.resolve(RunReport.FILE), ended);
            EarlierSessions.keep(run);
        }

        assertThat(run.resolve("earlier/20261126-064312/" + RunReport.FILE)).hasContent("one");
        assertThat(run.resolve("earlier/20261126-064312-2/" + RunReport.FILE)).hasContent("two");
    }
}
