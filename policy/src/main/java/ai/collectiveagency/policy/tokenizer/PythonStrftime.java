package ai.collectiveagency.policy.tokenizer;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** Python's {@code strftime} directives over {@code java.time}, for chat templates. */
final class PythonStrftime {

    private PythonStrftime() {}

    /** {@code format} with each {@code %x} directive replaced, as Python's C locale writes it. */
    static String format(String format, LocalDateTime time) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char directive = format.charAt(++i);
            out.append(switch (directive) {
                case 'd' -> pattern(time, "dd");
                case 'm' -> pattern(time, "MM");
                case 'y' -> pattern(time, "yy");
                case 'Y' -> pattern(time, "yyyy");
                case 'b' -> pattern(time, "MMM");
                case 'B' -> pattern(time, "MMMM");
                case 'a' -> pattern(time, "EEE");
                case 'A' -> pattern(time, "EEEE");
                case 'H' -> pattern(time, "HH");
                case 'I' -> pattern(time, "hh");
                case 'p' -> pattern(time, "a").toUpperCase(Locale.ROOT);
                case 'M' -> pattern(time, "mm");
                case 'S' -> pattern(time, "ss");
                case 'j' -> String.format("%03d", time.get(ChronoField.DAY_OF_YEAR));
                case '%' -> "%";
                default -> "%" + directive; // Python leaves unknown directives as written
            });
        }
        return out.toString();
    }

    private static String pattern(LocalDateTime time, String pattern) {
        return time.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH));
    }
}
