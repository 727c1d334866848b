package io.numaagent.binding;

/** A native part that could not load; the message says what is missing. Caught in {@link Binding#create}. */
final class UnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
        super(message);
    }
}
