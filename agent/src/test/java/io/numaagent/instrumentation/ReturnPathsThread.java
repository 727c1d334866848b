package io.numaagent.instrumentation;

/**
 * A Thread subclass whose {@code run()} leaves through a different path for each {@code path}
 * value: six {@code return}s (one inside a {@code try} whose {@code catch (Throwable)} covers it,
 * one inside {@code synchronized}), a throw that escapes and a throw caught before returning. It
 * starts with a loop, so its first instruction carries a stack-map frame, and keeps a {@code long}
 * local across branches.
 *
 * <p>Self-contained (only JDK types, public members): tests define it from its class file in
 * other class loaders and read its fields by reflection.
 */
public class ReturnPathsThread extends Thread {

    public static final int EARLY_RETURN = 0;
    public static final int RETURN_IN_SWITCH = 1;
    public static final int RETURN_INSIDE_TRY = 2;
    public static final int RETURN_IN_SYNCHRONIZED = 3;
    public static final int FALL_OFF_END = 4;
    public static final int THROW = 5;
    public static final int THROW_CAUGHT_THEN_RETURN = 6;
    public static final int PATHS = 7;

    private final int path;
    private final RuntimeException toThrow;
    /** Set by the body once it runs. */
    public volatile boolean bodyRan;
    /** What the body's own catch clauses caught, if anything. */
    public volatile Throwable caughtByBody;

    public ReturnPathsThread(int path, RuntimeException toThrow) {
        super("return-path-" + path);
        this.path = path;
        this.toThrow = toThrow;
    }

    @Override
    public void run() {
        long spins = 2;
        while (spins-- > 0) {
            Thread.onSpinWait();
        }
        bodyRan = true;
        if (path == EARLY_RETURN) {
            return;
        }
        switch (path) {
            case RETURN_IN_SWITCH:
                return;
            case RETURN_INSIDE_TRY:
                try {
                    if (spins < 0) {
                        return;
                    }
                } catch (Throwable t) {
                    caughtByBody = t;
                }
                break;
            case RETURN_IN_SYNCHRONIZED:
                synchronized (this) {
                    if (spins < 0) {
                        return;
                    }
                }
                break;
            case THROW:
                throw toThrow;
            case THROW_CAUGHT_THEN_RETURN:
                try {
                    throw toThrow;
                } catch (RuntimeException e) {
                    caughtByBody = e;
                    return;
                }
            default:
                break;
        }
    }
}
