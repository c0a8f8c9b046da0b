package ai.collectiveagency.schemas.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Whether a host names this machine only: {@code localhost}, or an address literal in
 * 127.0.0.0/8 or {@code ::1} (brackets allowed). Names are never looked up, so the answer
 * cannot depend on DNS. What it decides: where a credential may travel over plain http (the
 * LLM clients, the schema registry) and whether an API may run without keys (the rollout API).
 */
public final class LoopbackHost {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private LoopbackHost() {
    }

    /**
     * Whether a credential sent to {@code url} would cross a network in clear text: plain
     * {@code http} to a host that is not this machine.
     */
    public static boolean cleartextOffMachine(URI url) {
        return "http".equalsIgnoreCase(url.getScheme()) && !is(url.getHost());
    }

    /** True for {@code localhost}, 127.0.0.0/8 and {@code ::1}; false for null and names. */
    public static boolean is(String host) {
        if (host == null) {
            return false;
        }
        String name = host.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(name).matches() && !name.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
