package ai.collectiveagency.demo.dlq;

/**
 * Why {@code ./pipeline dlq} cannot do what it was asked (no such topic, an offset that is not
 * there, a dead letter without an origin, a broker that refuses): the message is for the
 * operator, printed as one {@code error: ...} line, and nothing has been sent.
 */
final class DlqException extends RuntimeException {

    DlqException(String message) {
        super(message);
    }

    DlqException(String message, Throwable cause) {
        super(message, cause);
    }
}
