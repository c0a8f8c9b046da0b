package ai.collectiveagency.rollout.remote;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engines one replica spreads its requests over, by least outstanding requests. Each
 * configured URL is one engine, except a plain {@code http} URL whose host name resolves to
 * several addresses (a Kubernetes headless Service of vLLM pods): that is one engine per
 * address, resolved again every {@code resolveInterval}, so pods that come and go are followed
 * and each gets the adapters it is sent. An {@code https} URL keeps its host name (certificates
 * name hosts, not pod addresses) and is one engine, balanced by whatever is behind it.
 */
final class EngineFleet {

    private static final System.Logger LOG = System.getLogger(EngineFleet.class.getName());

    private final List<URI> configured;
    private final Duration resolveInterval;
    private final Clock clock;
    private final Resolver resolver;
    private Map<URI, Engine> engines = new LinkedHashMap<>();
    private final Map<URI, List<URI>> lastResolved = new LinkedHashMap<>();
    private Instant resolvedAt = Instant.MIN;

    /** Host name to addresses; {@link InetAddress#getAllByName} outside tests. */
    interface Resolver {
        List<String> addresses(String host) throws UnknownHostException;
    }

    EngineFleet(List<URI> configured, Duration resolveInterval) {
        this(configured, resolveInterval, Clock.systemUTC(), host -> {
            List<String> addresses = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(host)) {
                addresses.add(address.getHostAddress());
            }
            return addresses;
        });
    }

    EngineFleet(List<URI> configured, Duration resolveInterval, Clock clock, Resolver resolver) {
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("no engine URLs");
        }
        this.configured = List.copyOf(configured);
        this.resolveInterval = resolveInterval;
        this.clock = clock;
        this.resolver = resolver;
    }

    /**
     * The engine with the fewest requests in flight, one that failed lately only when all did,
     * its count raised; call {@code finished}.
     */
    synchronized Engine acquire() {
        Engine engine = engines().stream().min(Comparator.comparing(Engine::cooling)
                        .thenComparingInt(Engine::outstanding))
                .orElseThrow(() -> new RemoteEngineException("no engine address resolved for "
                        + configured));
        engine.started();
        return engine;
    }

    /** Every engine now (resolved again when the interval has passed). */
    synchronized List<Engine> engines() {
        Instant now = clock.instant();
        if (engines.isEmpty() || !now.isBefore(resolvedAt.plus(resolveInterval))) {
            engines = resolve(engines);
            resolvedAt = now;
        }
        return List.copyOf(engines.values());
    }

    private Map<URI, Engine> resolve(Map<URI, Engine> known) {
        Map<URI, Engine> next = new LinkedHashMap<>();
        for (URI url : configured) {
            List<URI> addresses = addresses(url);
            lastResolved.put(url, addresses);
            for (URI address : addresses) {
                next.computeIfAbsent(address, uri -> known.getOrDefault(uri, new Engine(uri)));
            }
        }
        if (!next.keySet().equals(known.keySet())) {
            LOG.log(System.Logger.Level.INFO, "inference engines: " + next.keySet());
        }
        return next;
    }

    private List<URI> addresses(URI url) {
        if (!"http".equals(url.getScheme())) {
            return List.of(url);
        }
        try {
            List<String> resolved = resolver.addresses(url.getHost());
            if (resolved.size() <= 1) {
                return List.of(url);
            }
            List<URI> uris = new ArrayList<>();
            for (String address : resolved) {
                String host = address.contains(":") ? "[" + address + "]" : address;
                uris.add(URI.create(url.getScheme() + "://" + host
                        + (url.getPort() < 0 ? "" : ":" + url.getPort())
                        + (url.getRawPath() == null ? "" : url.getRawPath())));
            }
            return uris;
        } catch (UnknownHostException e) {
            // A DNS hiccup must not drop every engine: keep the addresses resolved last time
            // (none yet: the URL itself, whose calls fail with a connection error).
            List<URI> kept = lastResolved.getOrDefault(url, List.of(url));
            LOG.log(System.Logger.Level.WARNING, "cannot resolve " + url.getHost() + ": "
                    + e.getMessage() + "; keeping " + kept);
            return kept;
        }
    }
}
