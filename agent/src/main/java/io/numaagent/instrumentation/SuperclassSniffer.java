package io.numaagent.instrumentation;

/**
 * Reads just enough of a class file (JVMS §4.1: header, constant pool, {@code super_class}, and
 * for {@link #declaresRunMethod} the field and method tables) to answer "does this class extend a
 * Thread class, and does it declare {@code run()V}?".
 *
 * <p>Hand-written on purpose: the transformer asks this for every class the JVM loads, and
 * Byte Buddy's {@code TypePool} or ASM's {@code ClassReader} would parse far more, allocate far
 * more and, worse, load their own classes inside {@code transform} (see the research note: a raw
 * constant-pool read costs ~24 µs per class against ~100-300 µs for a type pool). Malformed input
 * yields {@code null}/{@code false}, never an exception: the JVM rejects such a class itself.
 */
public final class SuperclassSniffer {

    private static final int MAGIC = 0xCAFEBABE;
    private static final int ACC_ABSTRACT = 0x0400;
    private static final int ACC_NATIVE = 0x0100;

    private SuperclassSniffer() {
    }

    /**
     * The internal name (e.g. {@code java/lang/Thread}) of the class's direct superclass; {@code null}
     * when it has none ({@code java/lang/Object}, {@code module-info}) or the bytes are malformed.
     */
    public static String superclassInternalName(byte[] classFile) {
        try {
            ConstantPool pool = ConstantPool.read(classFile);
            if (pool == null) {
                return null;
            }
            // access_flags u2, this_class u2, super_class u2
            int superIndex = pool.u2(pool.end + 4);
            return superIndex == 0 ? null : pool.className(superIndex);
        } catch (IndexOutOfBoundsException malformed) {
            return null;
        }
    }

    /**
     * Whether the class declares a method {@code run()V} with a body (not abstract or native): only
     * such a method can take the hook calls. {@code false} for malformed bytes.
     */
    public static boolean declaresRunMethod(byte[] classFile) {
        try {
            ConstantPool pool = ConstantPool.read(classFile);
            if (pool == null) {
                return false;
            }
            int at = pool.end + 6;
            int interfaces = pool.u2(at);
            at += 2 + 2 * interfaces;
            at = skipMembers(pool, at);
            int methods = pool.u2(at);
            at += 2;
            for (int i = 0; i < methods; i++) {
                int access = pool.u2(at);
                int name = pool.u2(at + 2);
                int descriptor = pool.u2(at + 4);
                if ((access & (ACC_ABSTRACT | ACC_NATIVE)) == 0
                        && pool.utf8Equals(name, "run") && pool.utf8Equals(descriptor, "()V")) {
                    return true;
                }
                at = skipAttributes(pool, at + 6);
            }
            return false;
        } catch (IndexOutOfBoundsException malformed) {
            return false;
        }
    }

    /** Skips fields_count and the field_info table; returns the offset after it. */
    private static int skipMembers(ConstantPool pool, int at) {
        int count = pool.u2(at);
        at += 2;
        for (int i = 0; i < count; i++) {
            at = skipAttributes(pool, at + 6);
        }
        return at;
    }

    private static int skipAttributes(ConstantPool pool, int at) {
        int count = pool.u2(at);
        at += 2;
        for (int i = 0; i < count; i++) {
            long length = pool.u4(at + 2) & 0xFFFFFFFFL;
            if (length > pool.bytes.length) {
                throw new IndexOutOfBoundsException("attribute length " + length);
            }
            at += 6 + (int) length;
        }
        return at;
    }

    /** Offsets of the constant pool entries of one class file; {@code end} is the offset after the pool. */
    private static final class ConstantPool {
        final byte[] bytes;
        final int[] offsets;
        final int end;

        private ConstantPool(byte[] bytes, int[] offsets, int end) {
            this.bytes = bytes;
            this.offsets = offsets;
            this.end = end;
        }

        static ConstantPool read(byte[] b) {
            if (b == null || b.length < 10 || u4(b, 0) != MAGIC) {
                return null;
            }
            int count = u2(b, 8);
            int[] offsets = new int[count];
            int at = 10;
            for (int i = 1; i < count; i++) {
                offsets[i] = at;
                int tag = b[at] & 0xFF;
                switch (tag) {
                    case 1: // Utf8: u2 length + bytes
                        at += 3 + u2(b, at + 1);
                        break;
                    case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                        at += 3;
                        break;
                    case 15: // MethodHandle
                        at += 4;
                        break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                        at += 5;
                        break;
                    case 5: case 6: // Long, Double take two slots
                        at += 9;
                        i++;
                        break;
                    default:
                        return null;
                }
            }
            if (at + 6 > b.length) {
                return null;
            }
            return new ConstantPool(b, offsets, at);
        }

        int u2(int at) {
            return u2(bytes, at);
        }

        int u4(int at) {
            return u4(bytes, at);
        }

        /** The name of a CONSTANT_Class entry, or null if {@code index} is not one. */
        String className(int index) {
            int entry = entry(index, 7);
            return entry < 0 ? null : utf8(u2(entry + 1));
        }

        boolean utf8Equals(int index, String ascii) {
            int entry = entry(index, 1);
            if (entry < 0 || u2(entry + 1) != ascii.length()) {
                return false;
            }
            for (int i = 0; i < ascii.length(); i++) {
                if (bytes[entry + 3 + i] != ascii.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Decodes a CONSTANT_Utf8 entry (JVMS §4.4.7 "modified UTF-8"). */
        String utf8(int index) {
            int entry = entry(index, 1);
            if (entry < 0) {
                return null;
            }
            int length = u2(entry + 1);
            int start = entry + 3;
            char[] chars = new char[length];
            int n = 0;
            for (int at = start; at < start + length; ) {
                int c = bytes[at++] & 0xFF;
                if (c < 0x80) {
                    chars[n++] = (char) c;
                } else if ((c & 0xE0) == 0xC0) {
                    chars[n++] = (char) (((c & 0x1F) << 6) | (bytes[at++] & 0x3F));
                } else if ((c & 0xF0) == 0xE0) {
                    chars[n++] = (char) (((c & 0x0F) << 12) | ((bytes[at++] & 0x3F) << 6) | (bytes[at++] & 0x3F));
                } else {
                    return null;
                }
            }
            return new String(chars, 0, n);
        }

        private int entry(int index, int tag) {
            if (index <= 0 || index >= offsets.length || offsets[index] == 0) {
                return -1;
            }
            int at = offsets[index];
            return (bytes[at] & 0xFF) == tag ? at : -1;
        }

        static int u2(byte[] b, int at) {
            return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
        }

        static int u4(byte[] b, int at) {
            return (u2(b, at) << 16) | u2(b, at + 2);
        }
    }
}
