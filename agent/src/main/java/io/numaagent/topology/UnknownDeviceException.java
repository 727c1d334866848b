package io.numaagent.topology;

/** A device name that names nothing on this machine; the message lists the valid names and forms. */
public final class UnknownDeviceException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnknownDeviceException(String message) {
        super(message);
    }
}
