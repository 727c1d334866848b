package io.numaagent.placement;

import io.numaagent.binding.Binding;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link Binding} that a background thread is still creating. Loading the native calls takes
 * about 10 ms through the agent's JNI library and about 90 ms through JNA (its fallback), which would
 * otherwise be added to every engine's start; the hook is armed without them, and a worker that starts
 * earlier waits for them, bounded.
 *
 * <p>Why waiting here cannot deadlock, unlike Needle's lazy initialisation: the creating thread never
 * waits for an engine thread, and the only threads it may make start (JNA's {@code ldconfig}, where
 * {@code jna.platform.library.path} is not preset, has a process reaper, a JDK-internal thread) never
 * wait here (see {@link ThreadPlacer}).
 */
public final class BindingHandle {

    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Binding binding;
    private volatile Thread loader;
    private final AtomicReference<Thread> notStarted = new AtomicReference<>();

    public static BindingHandle of(Binding binding) {
        BindingHandle handle = new BindingHandle();
        handle.complete(binding);
        return handle;
    }

    public void complete(Binding created) {
        binding = created;
        ready.countDown();
    }

    /** The thread creating the binding: it may pass through the hook itself, and must never wait for itself. */
    public void loadingOn(Thread thread) {
        loader = thread;
    }

    /**
     * The thread that will create the binding, started by the first thread that needs it
     * ({@link #startLoading}), not before: a JVM whose rules match no thread never loads the native
     * calls. Started as soon as the start-up thread had read the machine, they cost a 2-CPU machine's
     * trivial main 5 ms more with no rule matching and saved 3 ms with one (measured with the JNI
     * library; JNA had cost about 45 ms). It is created by the caller (at premain), so it inherits
     * nothing from the engine thread that happens to start it.
     */
    public void loadOnFirstUse(Thread unstarted) {
        loadingOn(unstarted);
        notStarted.set(unstarted);
    }

    /** Starts the loader given to {@link #loadOnFirstUse}, once; nothing if it started already or there is none. */
    public void startLoading() {
        Thread pending = notStarted.getAndSet(null);
        if (pending != null) {
            pending.start();
        }
    }

    boolean isLoader(Thread thread) {
        return thread == loader;
    }

    /** The binding if it is ready, else null at once. */
    public Binding now() {
        return binding;
    }

    /** The binding, waiting up to {@code millis} for it; null when it is still not ready. */
    public Binding await(long millis) {
        Binding b = binding;
        if (b != null) {
            return b;
        }
        try {
            ready.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return binding;
    }
}
