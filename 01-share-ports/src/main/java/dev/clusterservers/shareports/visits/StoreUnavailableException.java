package dev.clusterservers.shareports.visits;

/** The store cannot be reached now; the app answers 503 with this message and keeps serving the rest. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
