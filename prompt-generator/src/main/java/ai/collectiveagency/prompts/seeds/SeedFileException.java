package ai.collectiveagency.prompts.seeds;

/** A seed file that cannot be read or parsed; the message names the file and, if known, line. */
public final class SeedFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SeedFileException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }

    SeedFileException(String file, String problem) {
        super(file + ": " + problem);
    }

    SeedFileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
