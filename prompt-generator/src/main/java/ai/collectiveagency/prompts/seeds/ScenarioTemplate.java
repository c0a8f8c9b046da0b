package ai.collectiveagency.prompts.seeds;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dilemma in prose with placeholders ({@code {domain}}, {@code {place}}, {@code {valueA}},
 * {@code {valueB}}, {@code {roleA}}, {@code {roleB}}, {@code {constraint}}) that
 * {@link #fill(Map)} replaces. The value and role placeholders are required, so every scenario
 * names both sides of its conflict; unknown placeholders are refused.
 *
 * @param text the template text
 */
public record ScenarioTemplate(String text) {

    /** Every placeholder a template may use. */
    public static final List<String> PLACEHOLDERS =
            List.of("domain", "place", "valueA", "valueB", "roleA", "roleB", "constraint");

    private static final List<String> REQUIRED = List.of("valueA", "valueB", "roleA", "roleB");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    public ScenarioTemplate {
        Objects.requireNonNull(text, "text");
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new IllegalArgumentException("unknown placeholder {" + m.group(1)
                        + "}; known: " + PLACEHOLDERS);
            }
        }
        for (String name : REQUIRED) {
            if (!text.contains("{" + name + "}")) {
                throw new IllegalArgumentException("template lacks the placeholder {" + name + "}");
            }
        }
    }

    /** The text with each placeholder replaced by its value in {@code values}. */
    public String fill(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
