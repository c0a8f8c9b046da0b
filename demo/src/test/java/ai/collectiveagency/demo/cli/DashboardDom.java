package ai.collectiveagency.demo.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the dashboard page says about itself once its scripts ran, read from its DOM by the
 * page's contract: every chart container has class {@code chart}, a {@code data-series} attribute
 * (what it plots) and {@code data-points} (how many non-null points it plotted at the last
 * refresh); {@code <body data-refreshed="N">} counts the successful refreshes.
 *
 * @param refreshed the body's {@code data-refreshed}, -1 when absent
 * @param charts the chart containers in page order
 */
record DashboardDom(int refreshed, List<Chart> charts) {

    /** A chart container: {@code data-series}, {@code data-points} (-1 when absent). */
    record Chart(String series, int points) {
    }

    private static final Pattern START_TAG = Pattern.compile(
            "<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s=>/]+(?:=\"[^\"]*\")?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=]+)(?:=\"([^\"]*)\")?");

    /** Reads the serialised DOM {@code html}, as {@code chromium --dump-dom} prints it. */
    static DashboardDom parse(String html) {
        int refreshed = -1;
        List<Chart> charts = new ArrayList<>();
        Matcher tag = START_TAG.matcher(html);
        while (tag.find()) {
            Map<String, String> attributes = attributes(tag.group(2));
            if (tag.group(1).equalsIgnoreCase("body")) {
                refreshed = number(attributes.get("data-refreshed"));
            }
            if (Arrays.asList(attributes.getOrDefault("class", "").split("\\s+"))
                    .contains("chart")) {
                charts.add(new Chart(attributes.getOrDefault("data-series", ""),
                        number(attributes.get("data-points"))));
            }
        }
        return new DashboardDom(refreshed, List.copyOf(charts));
    }

    /** The charts whose {@code data-series} mentions {@code series}. */
    List<Chart> plotting(String series) {
        return charts.stream().filter(c -> c.series().contains(series)).toList();
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new HashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(text);
        while (attribute.find()) {
            String value = attribute.group(2) == null ? "" : attribute.group(2);
            attributes.put(attribute.group(1).toLowerCase(), value.replace("&quot;", "\"")
                    .replace("&amp;", "&"));
        }
        return attributes;
    }

    private static int number(String value) {
        try {
            return value == null ? -1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
