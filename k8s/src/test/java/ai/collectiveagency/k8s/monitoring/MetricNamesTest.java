package ai.collectiveagency.k8s.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.smallrye.faulttolerance.core.metrics.MetricsConstants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The alerts and the dashboard read only metrics the pipeline exports: every metric their PromQL
 * names is listed in {@code exported-metrics.txt}, and every listed meter is registered under
 * that name in the services' main sources (a renamed meter fails here), every listed library
 * metric says where it comes from (SmallRye Fault Tolerance's against its own names).
 */
class MetricNamesTest {

    private static final Path MONITORING = Path.of("base/monitoring");
    private static final Path REPOSITORY = Path.of("..");
    /** Where the services' meters are registered: the five services and their libraries. */
    private static final List<String> SERVICE_MODULES = List.of("llm-client", "selfplay", "scoring",
            "prompt-generator", "rollout-service", "reward-service", "trainer-service",
            "evaluation-service");
    private static final Set<String> LIBRARY_PREFIXES = Set.of("ft_", "kafka_", "jvm_",
            "process_");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning");
    private static final Pattern JAVA_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** What the alerts and panels query, by where ("alert X", "panel Y"). */
    private static Map<String, String> queries;
    private static List<Rule> alerts;
    private static Map<String, ExportedMetric> listed;

    @BeforeAll
    static void read() throws IOException {
        assertThat(MONITORING.resolve("kustomization.yaml"))
                .as("run from the k8s module").exists();
        alerts = readAlerts();
        queries = new LinkedHashMap<>();
        alerts.forEach(rule -> queries.put("alert " + rule.getAlert() + " (" + rule.getLabels()
                + ")", rule.getExpr().getStrVal()));
        queries.putAll(dashboardQueries());
        listed = ExportedMetric.readAll(MONITORING.resolve("exported-metrics.txt"));
    }

    @Test
    void theListHoldsExactlyTheMetricsTheAlertsAndPanelsRead() {
        Set<String> read = new TreeSet<>();
        queries.values().forEach(query -> read.addAll(PromQlMetricNames.in(query)));
        read.addAll(templateQueryMetrics());

        assertThat(read).as("metrics the alerts and the dashboard read, against "
                + "exported-metrics.txt").containsExactlyInAnyOrderElementsOf(listed.keySet());
    }

    @Test
    void everyAlertAndPanelQueryReadsAMetric() {
        assertThat(queries).hasSizeGreaterThan(alerts.size());
        queries.forEach((where, query) -> assertThat(PromQlMetricNames.in(query))
                .as(where + ": " + query).isNotEmpty());
    }

    @Test
    void everyListedMeterIsRegisteredUnderItsNameInTheServicesSources() throws IOException {
        Set<String> literals = serviceStringLiterals();
        List<String> problems = new ArrayList<>();
        for (ExportedMetric metric : listed.values()) {
            if (metric.kind() == Kind.LIBRARY) {
                continue;
            }
            String assembled = String.join("", metric.source()).replace('_', '.');
            if (!assembled.equals(metric.micrometerName())
                    && !metric.registeredUnderItsPrometheusName()) {
                problems.add(metric.name() + ": its pieces make " + assembled + ", its name says "
                        + metric.micrometerName());
            }
            metric.source().stream().filter(piece -> !literals.contains(piece))
                    .forEach(piece -> problems.add(metric.name() + ": no string literal \""
                            + piece + "\" in " + SERVICE_MODULES + " src/main/java"));
        }
        assertThat(problems).as("meters of exported-metrics.txt not found as registered")
                .isEmpty();
    }

    @Test
    void everyListedLibraryMetricComesFromALibraryThatPublishesIt() throws Exception {
        Set<String> faultToleranceNames = new HashSet<>();
        for (Field field : MetricsConstants.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                faultToleranceNames.add((String) field.get(null));
            }
        }
        for (ExportedMetric metric : listed.values()) {
            if (metric.kind() != Kind.LIBRARY) {
                assertThat(LIBRARY_PREFIXES).as(metric.name() + " is a meter of ours: a library's "
                        + "prefix would hide that").noneMatch(metric.name()::startsWith);
                continue;
            }
            assertThat(LIBRARY_PREFIXES).as(metric.name() + " is listed as a library's")
                    .anyMatch(metric.name()::startsWith);
            assertThat(metric.source()).as(metric.name() + ": where it comes from")
                    .hasSizeGreaterThanOrEqualTo(3);
            if (metric.name().startsWith("ft_")) {
                assertThat(faultToleranceNames).as(metric.name() + " among SmallRye Fault "
                        + "Tolerance's metrics").contains(metric.name().replace('_', '.'));
            }
        }
    }

    @Test
    void everyAlertWaitsAndSaysHowSevereWhatAndWhereItsRunbookIs() {
        assertThat(alerts).isNotEmpty();
        for (Rule rule : alerts) {
            String alert = rule.getAlert();
            assertThat(alert).as("a rule with no alert name: " + rule).isNotBlank();
            assertThat(rule.getFor()).as(alert + " for").matches("\\d+[smh]");
            assertThat(rule.getLabels()).as(alert + " labels").containsKey("severity");
            assertThat(SEVERITIES).as(alert + " severity").contains(rule.getLabels()
                    .get("severity"));
            assertThat(rule.getAnnotations()).as(alert + " annotations")
                    .containsKeys("summary", "description", "runbook_url");
            assertThat(rule.getAnnotations().get("runbook_url")).as(alert + " runbook")
                    .isEqualTo("k8s/README.md#runbook-" + alert.toLowerCase());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "sum by (namespace) (increase(a_total[30m])) >= 8 unless on (namespace) b | a_total b",
        "max_over_time(ft_x{service!=\"r s\", state='open'}[5m]) > 0 and on() vector(0) | ft_x",
        "sum(rate(c_sum{ns=\"$namespace\"}[$__rate_interval])) / sum(rate(c_count[1h:1m])) "
                + "| c_count c_sum",
        "label_replace(up, \"x\", \"$1\", \"y\", \"(.*)\") * 1e3 + d offset 5m | d up",
    })
    void theMetricNamesOfAnExpressionAreItsSeriesSelectors(String promQl, String names) {
        assertThat(PromQlMetricNames.in(promQl))
                .containsExactlyInAnyOrder(names.split(" "));
    }

    private static List<Rule> readAlerts() throws IOException {
        try (InputStream yaml = Files.newInputStream(MONITORING.resolve("prometheusrules.yaml"))) {
            PrometheusRule rules = new KubernetesSerialization().unmarshal(yaml,
                    PrometheusRule.class);
            return rules.getSpec().getGroups().stream().map(RuleGroup::getRules)
                    .flatMap(List::stream).toList();
        }
    }

    /** Every {@code expr} of the dashboard's panels (rows' nested panels too), by panel. */
    private static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> found = new LinkedHashMap<>();
        collectExpressions(dashboard().path("panels"), "", found);
        return found;
    }

    private static void collectExpressions(JsonNode node, String panel, Map<String, String> found) {
        String title = node.has("title") ? node.get("title").asText() : panel;
        if (node.has("expr")) {
            found.put("panel " + title + " " + node.path("refId").asText(),
                    node.get("expr").asText());
        }
        node.elements().forEachRemaining(child -> collectExpressions(child, title, found));
    }

    private static Set<String> templateQueryMetrics() {
        Set<String> names = new TreeSet<>();
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            names.addAll(PromQlMetricNames.inTemplateQuery(text));
        }
        return names;
    }

    private static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(MONITORING.resolve("grafana/pipeline-dashboard.json")
                    .toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every string literal of the service modules' main Java sources. */
    private static Set<String> serviceStringLiterals() throws IOException {
        Set<String> literals = new HashSet<>();
        for (String module : SERVICE_MODULES) {
            Path sources = REPOSITORY.resolve(module).resolve("src/main/java");
            assertThat(sources).as("the sources of " + module).isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher literal = JAVA_STRING.matcher(Files.readString(file));
                    while (literal.find()) {
                        literals.add(literal.group(1));
                    }
                }
            }
        }
        return literals;
    }

    enum Kind {
        COUNTER(List.of("_total"), "_total", List.of("")),
        GAUGE(List.of(""), "", List.of("")),
        TIMER(List.of("_seconds_count", "_seconds_sum", "_seconds_max"), "_seconds",
                List.of("_count", "_sum", "_max")),
        SUMMARY(List.of("_count", "_sum", "_max"), "", List.of("_count", "_sum", "_max")),
        LIBRARY(List.of(""), "", List.of(""));

        /** What Micrometer's Prometheus registry appends to the meter's name. */
        private final List<String> suffixes;
        /**
         * How a meter named in Prometheus's own form ends ({@code evaluation_runs_total}, a
         * timer's {@code evaluation_seconds}): the registry keeps such a name as it is...
         */
        private final String prometheusEnding;
        /** ... and appends only these to it. */
        private final List<String> prometheusSuffixes;

        Kind(List<String> suffixes, String prometheusEnding, List<String> prometheusSuffixes) {
            this.suffixes = suffixes;
            this.prometheusEnding = prometheusEnding;
            this.prometheusSuffixes = prometheusSuffixes;
        }
    }

    /**
     * A line of exported-metrics.txt: {@code <prometheus name> <kind> <source>}; for a meter
     * the source is the pieces of its Micrometer name, for a library's metric where it comes
     * from.
     */
    record ExportedMetric(String name, Kind kind, List<String> source) {

        /** The meter's name as registered, from the Prometheus name and the kind's suffix. */
        String micrometerName() {
            String suffix = kind.suffixes.stream().filter(name::endsWith).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " does not end as a "
                            + kind + " does: " + kind.suffixes));
            return name.substring(0, name.length() - suffix.length()).replace('_', '.');
        }

        /**
         * Whether the source is one name in Prometheus's form that the registry exports as this
         * metric: the evaluation-service registers {@code evaluation_runs_total} (a counter) and
         * {@code evaluation_seconds} (a timer: {@code evaluation_seconds_count}, ...).
         */
        boolean registeredUnderItsPrometheusName() {
            if (source.size() != 1 || source.get(0).contains(".")) {
                return false;
            }
            String registered = source.get(0);
            return registered.endsWith(kind.prometheusEnding) && kind.prometheusSuffixes.stream()
                    .anyMatch(suffix -> name.equals(registered + suffix));
        }

        static Map<String, ExportedMetric> readAll(Path file) throws IOException {
            Map<String, ExportedMetric> metrics = new TreeMap<>();
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Iterator<String> words = Arrays.stream(line.trim().split("\\s+")).iterator();
                String name = words.next();
                if (!words.hasNext()) {
                    throw new IllegalArgumentException(file + ": no kind for " + name);
                }
                Kind kind = Kind.valueOf(words.next().toUpperCase());
                List<String> source = new ArrayList<>();
                words.forEachRemaining(source::add);
                if (source.isEmpty()) {
                    throw new IllegalArgumentException(file + ": no source for " + name);
                }
                if (metrics.put(name, new ExportedMetric(name, kind, source)) != null) {
                    throw new IllegalArgumentException(file + ": " + name + " twice");
                }
            }
            return metrics;
        }
    }
}
