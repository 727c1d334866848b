package io.numaagent.topology;

/**
 * The machine's description could not be read at all: the root directory is wrong or the kernel's
 * CPU directory is missing. The message is one line: the path, what is wrong, what was expected.
 * Anything less severe (a missing or odd file) is not an exception but a {@link Topology#notes() note}.
 */
public final class TopologyException extends Exception {

    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
