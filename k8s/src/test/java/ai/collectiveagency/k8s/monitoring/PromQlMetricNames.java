package ai.collectiveagency.k8s.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: its identifiers once string literals, label
 * matchers ({@code {...}}), ranges ({@code [5m]}), grouping clauses ({@code by (...)},
 * {@code on (...)}, ...) and Grafana variables are taken out, less functions and aggregations
 * (an identifier followed by {@code (}) and keywords.
 *
 * <pre>{@code
 * PromQlMetricNames.in("sum by (pod) (rate(a_total{x=\"y\"}[5m])) > 0 unless b");  // [a_total, b]
 * }</pre>
 */
final class PromQlMetricNames {

    private static final Pattern STRINGS =
            Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    /** An identifier not inside a number ({@code 1e3}, {@code 5m}). */
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset",
            "by", "without", "on", "ignoring", "group_left", "group_right", "atan2", "inf",
            "nan");
    /** Grafana's template query: the metric whose label values it lists. */
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\(\\s*(.+?)\\s*,\\s*\\w+\\s*\\)\\s*$");

    private PromQlMetricNames() {
    }

    static Set<String> in(String promQl) {
        String rest = STRINGS.matcher(promQl).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = VARIABLES.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            boolean called = rest.substring(identifier.end()).stripLeading().startsWith("(");
            if (!called && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The metric names a Grafana template query reads: {@code label_values(<selector>, label)};
     * empty for a query of another form (a data source variable's plugin type).
     */
    static Set<String> inTemplateQuery(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        return labelValues.matches() ? in(labelValues.group(1)) : Set.of();
    }
}
