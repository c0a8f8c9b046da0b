package ai.collectiveagency.demo.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium without a screen: loads a page, lets its scripts run for a budget of
 * virtual time (timers fire at once; the clock waits for network fetches), then prints the DOM
 * as it then is or takes a screenshot. {@link #installed} runs {@code scripts/install-chromium.sh}
 * when {@code chromium} is not on the PATH.
 */
final class HeadlessChromium {

    private static final String BINARY = "chromium";
    /** Per page: a cold start on a busy machine, the page's scripts and its fetches. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path work;
    private final Duration scriptTime;

    private HeadlessChromium(Path work, Duration scriptTime) {
        this.work = work;
        this.scriptTime = scriptTime;
    }

    /**
     * Chromium, installed first by the checkout's script at {@code root} when missing; its
     * profile and log go to {@code work}; pages run their scripts for {@code scriptTime}.
     */
    static HeadlessChromium installed(Path root, Path work, Duration scriptTime)
            throws IOException, InterruptedException {
        if (!onPath()) {
            Process install = new ProcessBuilder(root.resolve("scripts/install-chromium.sh")
                    .toString()).inheritIO().start();
            if (install.waitFor() != 0 || !onPath()) {
                throw new IllegalStateException("scripts/install-chromium.sh failed (exit "
                        + install.exitValue() + "): see its output above");
            }
        }
        Files.createDirectories(work);
        return new HeadlessChromium(work, scriptTime);
    }

    /** The page's DOM after its scripts ran. */
    String dumpDom(String url) throws IOException, InterruptedException {
        Path dom = work.resolve("dom.html");
        run(List.of("--dump-dom", url), dom);
        return Files.readString(dom);
    }

    /** A PNG of the page after its scripts ran, {@code width} x {@code height}, to {@code png}. */
    Path screenshot(String url, Path png, int width, int height)
            throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + ","
                + height, url), work.resolve("screenshot.out"));
        return png;
    }

    private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + work.resolve("profile").toAbsolutePath(),
                "--virtual-time-budget=" + scriptTime.toMillis()));
        command.addAll(args);
        Path log = work.resolve("chromium.log");
        Process chromium = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!chromium.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("chromium " + args + " did not finish within "
                        + TIMEOUT + "; its log: " + log);
            }
            if (chromium.exitValue() != 0) {
                throw new IllegalStateException("chromium " + args + " exited with "
                        + chromium.exitValue() + "; its log: " + log);
            }
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
        }
    }

    private static boolean onPath() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, BINARY))) {
                return true;
            }
        }
        return false;
    }
}
