package ai.collectiveagency.selfplay;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a judge's YES/NO answer, forgiving of case, punctuation, markdown and a lead-in such as
 * "Answer:". The first standalone "yes" or "no" word decides; an answer with neither is
 * unparseable, which callers treat as "not agreed" (a negotiation must not end on noise).
 */
public final class YesNoAnswer {

    private static final Pattern WORD = Pattern.compile("\\b(yes|no)\\b");

    private YesNoAnswer() {}

    /** True for yes, false for no, empty when the text says neither. */
    public static Optional<Boolean> parse(String answer) {
        Matcher matcher = WORD.matcher(answer.toLowerCase(Locale.ROOT));
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(matcher.group(1).equals("yes"));
    }
}
