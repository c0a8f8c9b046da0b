package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.kafka.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The local broker and the services started on it, stopped together: in reverse order, each
 * with SIGTERM and a grace period, also when starting one of them failed and when the JVM is
 * asked to exit (a shutdown hook), so no process is left behind.
 */
public final class Fleet implements AutoCloseable {

    /** Replaced by {@link #restartBroker}: the new broker has the same folder and port. */
    private volatile LocalKafka kafka;
    private final Path logs;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    private Fleet(LocalKafka kafka, Path logs) {
        this.kafka = kafka;
        this.logs = logs;
        this.hook = new Thread(this::closeQuietly, "fleet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A fleet on {@code kafka}, which it closes last; service logs go to {@code logs}. */
    public static Fleet on(LocalKafka kafka, Path logs) {
        return new Fleet(kafka, logs);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The folder of the services' logs, one per process: {@code <replica>.log}. */
    public Path logs() {
        return logs;
    }

    /** The broker the services run on. */
    public LocalKafka kafka() {
        return kafka;
    }

    /** Starts {@code spec} and waits until it is ready; on failure everything stops. */
    public synchronized ServiceProcess start(ServiceSpec spec, Duration timeout)
            throws InterruptedException {
        ServiceProcess process = ServiceProcess.start(spec, logs);
        services.add(process);
        try {
            process.awaitReady(timeout);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        return process;
    }

    /**
     * Starts {@code stopped}'s spec again (same ports, same settings, its log continued) in its
     * place in the fleet, and waits until it is ready. Unlike {@link #start}, a restart that
     * fails leaves the rest of the fleet running: the new process stays in the fleet, which
     * stops it on close.
     *
     * @throws IllegalStateException when {@code stopped} still runs or is not of this fleet, or
     *     when the new process exits or is not ready within {@code timeout}
     */
    public ServiceProcess restart(ServiceProcess stopped, Duration timeout)
            throws InterruptedException {
        ServiceProcess fresh;
        synchronized (this) {
            int at = services.indexOf(stopped);
            if (at < 0 || stopped.alive()) {
                throw new IllegalStateException(stopped.spec().replica()
                        + (at < 0 ? " is not of this fleet" : " still runs"));
            }
            fresh = ServiceProcess.startAgain(stopped.spec(), logs);
            services.set(at, fresh);
        }
        fresh.awaitReady(timeout);
        return fresh;
    }

    /**
     * Starts one more process of {@code spec} while the fleet runs, and waits until it is
     * ready. Unlike {@link #start}, one that fails leaves the rest of the fleet running: it is
     * stopped and left out.
     *
     * @throws IllegalStateException when it exits or is not ready within {@code timeout}
     */
    public ServiceProcess add(ServiceSpec spec, Duration timeout) throws InterruptedException {
        ServiceProcess process;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the fleet is stopping");
            }
            process = ServiceProcess.start(spec, logs);
            services.add(process);
        }
        try {
            process.awaitReady(timeout);
        } catch (RuntimeException | InterruptedException e) {
            remove(process, Duration.ofSeconds(30));
            throw e;
        }
        return process;
    }

    /**
     * Stops {@code process} gracefully (SIGTERM, a kill after {@code grace}) and leaves it out
     * of the fleet.
     */
    public void remove(ServiceProcess process, Duration grace) throws InterruptedException {
        synchronized (this) {
            services.remove(process);
        }
        process.stop(grace);
    }

    /**
     * Closes the broker (a controlled shutdown), leaves it down for {@code down}, and starts it
     * again on the same folder and port, with the same topics and security: the services'
     * clients reconnect on their own. Retries the start while the old port is not free yet,
     * up to 30 s.
     */
    public synchronized void restartBroker(Duration down) throws InterruptedException {
        LocalKafka old = kafka;
        old.close();
        Thread.sleep(down.toMillis());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                kafka = old.secure()
                        ? LocalKafka.startSecure(old.dataDir(), old.port(), old.catalogue())
                        : LocalKafka.start(old.dataDir(), old.port(), old.catalogue());
                return;
            } catch (IllegalArgumentException portInUse) {
                if (System.nanoTime() > deadline) {
                    throw portInUse;
                }
                Thread.sleep(500);
            }
        }
    }

    public synchronized List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** A free loopback port. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(Duration.ofSeconds(30));
        }
        kafka.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // Already shutting down: the hook is what called us.
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
