package ai.collectiveagency.demo.fleetops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A policy version as an operator writes it: {@code v3} or {@code 3}. */
final class PolicyVersion {

    private static final Pattern VERSION = Pattern.compile("[vV]?(\\d{1,18})");

    private PolicyVersion() {
    }

    /**
     * @throws IllegalArgumentException naming what was given when it is no version
     */
    static long parse(String text) {
        Matcher matcher = VERSION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("VERSION '" + text + "': a policy version is vN"
                    + " or N, e.g. v3");
        }
        return Long.parseLong(matcher.group(1));
    }
}
