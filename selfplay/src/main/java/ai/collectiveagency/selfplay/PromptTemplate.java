package ai.collectiveagency.selfplay;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt text with {@code {placeholders}} (lower-case letters and underscores), filled from a map.
 *
 * <p>A placeholder without a value is an error rather than left in the text: an edited prompt
 * file with a typo in a placeholder name should fail loudly, not teach the policy on "{nmae}".
 *
 * @param name where the text came from, for error messages (e.g. {@code persona-system})
 * @param text the template text
 */
public record PromptTemplate(String name, String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    public PromptTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }

    /** The text with every placeholder replaced by its value; extra values are ignored. */
    public String fill(Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("prompt '" + name + "' uses {"
                        + matcher.group(1) + "}, which is not one of " + values.keySet());
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
