package ai.collectiveagency.demo.fleet;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of a service process: the few variables of the demo's own environment that
 * any JVM needs ({@link #INHERITED}), plus the service's own ({@link ServiceSpec#environment()}:
 * its Kafka user's settings, a key only that service uses). Nothing else of the demo's
 * environment reaches a service: an API key meant for the judge stays out of the others.
 */
public final class ChildEnvironment {

    /** Passed on from the demo's environment when set: paths, locale, and DJL's model cache. */
    public static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG",
            "LC_ALL", "TZ", "TMPDIR", "DJL_CACHE_DIR");

    private ChildEnvironment() {
    }

    /** What a service gets from {@code parent} (the demo's environment) and {@code own}. */
    public static Map<String, String> of(Map<String, String> parent, Map<String, String> own) {
        Map<String, String> child = new TreeMap<>();
        INHERITED.forEach(name -> {
            String value = parent.get(name);
            if (value != null) {
                child.put(name, value);
            }
        });
        child.putAll(own);
        return child;
    }
}
