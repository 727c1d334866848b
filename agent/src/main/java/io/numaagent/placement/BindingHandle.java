package io.numaagent.placement;

import io.numaagent.binding.Binding;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Binding} that a background thread is still creating. Loading JNA, OpenHFT and libnuma
 * takes a few hundred milliseconds, which would otherwise be added to every engine's start; the
 * hook is armed without them, and a worker that starts earlier waits for them, bounded.
 *
 * <p>Why waiting here cannot deadlock, unlike Needle's lazy initialisation: the creating thread never
 * waits for an engine thread, and the only threads it makes start (JNA runs {@code ldconfig}, whose
 * process reaper is a JDK-internal thread) never wait here (see {@link ThreadPlacer}).
 */
public final class BindingHandle {

    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Binding binding;
    private volatile Thread loader;

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
