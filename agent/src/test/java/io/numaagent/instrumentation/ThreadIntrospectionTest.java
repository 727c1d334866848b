package io.numaagent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ThreadIntrospectionTest {

    @BeforeAll
    static void open() {
        InstrumentedJvm.install(); // opens java.lang through ThreadIntrospection.open
    }

    @Test
    void initialRunnableIsTheConstructorsRunnable() {
        Runnable body = () -> { };
        assertSame(body, ThreadIntrospection.initialRunnable(new Thread(body, "not-started")));
    }

    @Test
    void initialRunnableIsNullForThreadWithoutRunnable() {
        assertNull(ThreadIntrospection.initialRunnable(new Thread() {
            @Override
            public void run() {
            }
        }));
        assertNull(ThreadIntrospection.initialRunnable(null));
    }

    @Test
    void platformThreadIsNotVirtual() {
        assertFalse(ThreadIntrospection.isVirtual(Thread.currentThread()));
        assertFalse(ThreadIntrospection.isVirtual(new Thread(() -> { })));
    }

    @Test
    void virtualThreadIsVirtual() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Thread unstarted = (Thread) Class.forName("java.lang.Thread$Builder")
                .getMethod("unstarted", Runnable.class).invoke(builder, (Runnable) () -> { });
        assertTrue(ThreadIntrospection.isVirtual(unstarted));
    }
}
