package ai.collectiveagency.k8s.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Kustomize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every alert's runbook link lands on a section of k8s/README.md (GitHub's heading anchors). */
class RunbooksTest {

    private static final Pattern RUNBOOK_URL = Pattern.compile(
            "runbook_url:\\s*k8s/README\\.md#(\\S+)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#+\\s+(.+)$");

    @Test
    void everyRunbookLinkHasItsSection() throws IOException {
        Path root = Kustomize.projectRoot();
        String rules = Files.readString(root.resolve(
                "k8s/base/monitoring/prometheusrules.yaml"));
        Set<String> linked = new TreeSet<>();
        Matcher link = RUNBOOK_URL.matcher(rules);
        while (link.find()) {
            linked.add(link.group(1));
        }
        Set<String> anchors = new TreeSet<>();
        Matcher heading = HEADING.matcher(Files.readString(root.resolve("k8s/README.md")));
        while (heading.find()) {
            anchors.add(anchor(heading.group(1)));
        }

        assertThat(linked).as("runbook links in prometheusrules.yaml").isNotEmpty();
        assertThat(anchors).as("sections of k8s/README.md").containsAll(linked);
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as '-'. */
    private static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
                .replace(' ', '-');
    }
}
