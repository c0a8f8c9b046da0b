package ai.collectiveagency.rollout.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Whether a bind address is loopback only: {@code localhost} or a loopback IP literal. */
final class Loopback {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Loopback() {
    }

    static boolean is(String host) {
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
        // Only literals are resolved (no name lookup): 127.0.0.0/8 and ::1 are loopback.
        if (!IPV4.matcher(name).matches() && !name.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
