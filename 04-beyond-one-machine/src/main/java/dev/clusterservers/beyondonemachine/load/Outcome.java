package dev.clusterservers.beyondonemachine.load;

/**
 * How one request ended, as a client sees it. The kinds are the ones a load balancer's
 * failures come in, each with a different cause, so a run's table says which went wrong.
 */
public enum Outcome {
    /** A 2xx or 3xx answer. */
    OK("ok"),
    /** The connection was refused: nothing listened (the balancer itself was down). */
    REFUSED("refused"),
    /** The connection was reset by the peer before the answer was complete. */
    RESET("reset"),
    /** The connection ended before a status line: closed under a request. */
    EOF("EOF before status"),
    /** No answer within the client's timeout. */
    TIMEOUT("timeout"),
    /** The balancer or the app answered 5xx: 502, 503, 504. */
    STATUS_5XX("5xx"),
    /** A 4xx: a bug in the client, never expected here. */
    STATUS_4XX("4xx");

    public final String label;

    Outcome(String label) {
        this.label = label;
    }

    public boolean failed() {
        return this != OK;
    }

    static Outcome ofStatus(int status) {
        if (status >= 500) {
            return STATUS_5XX;
        }
        return status >= 400 ? STATUS_4XX : OK;
    }
}
