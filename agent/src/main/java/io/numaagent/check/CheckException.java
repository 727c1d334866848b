package io.numaagent.check;

/** Bad input to {@code check}: no such process, nothing to check it against. One line, shown as is. */
public final class CheckException extends Exception {

    public CheckException(String message) {
        super(message);
    }
}
