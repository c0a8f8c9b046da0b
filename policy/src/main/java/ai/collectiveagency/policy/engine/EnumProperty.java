package ai.collectiveagency.policy.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A choice among an enum's constants set by a system property ({@code -Dkey=NAME}, any case,
 * blanks trimmed), else a default. A value that names no constant is refused with the key, the
 * value and the choices, so a typo stops the model from loading instead of being ignored.
 *
 * <p>Usage: {@code EnumProperty.read("policy.training.head", HeadProducts.class,
 * () -> HeadProducts.ENGINE, "a way to compute the output head")}
 */
public final class EnumProperty {

    private EnumProperty() {}

    /**
     * @param fallback the choice when the property is unset or blank (a CPU's default, say)
     * @param what what a constant is, for the refusal: "a backend"
     */
    public static <E extends Enum<E>> E read(String property, Class<E> type,
            Supplier<E> fallback, String what) {
        String name = System.getProperty(property);
        if (name == null || name.isBlank()) {
            return fallback.get();
        }
        try {
            return Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + "=" + name + " is not " + what + ": "
                    + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                            .collect(Collectors.joining(" or ")), e);
        }
    }
}
