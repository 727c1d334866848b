package io.numaagent.instrumentation;

/** Defines classes from bytes: no class file resource exists for them. */
final class BytesLoader extends ClassLoader {
    BytesLoader() {
        super(BytesLoader.class.getClassLoader());
    }

    Class<?> define(String name, byte[] bytes) {
        return defineClass(name, bytes, 0, bytes.length);
    }
}
