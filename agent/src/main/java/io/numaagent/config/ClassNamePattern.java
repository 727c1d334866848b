package io.numaagent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A class name as {@code rule.NAME.thread-class} and {@code rule.NAME.runnable-class} write it: a binary
 * name ({@code com.example.Outer$Inner}, as {@link Class#getName()} returns it) in which {@code *} stands
 * for any run of characters, dots and dollars included ({@code *StorageTask}, {@code com.example.*}).
 *
 * <p>{@link #matches} is called for every thread start and every superclass, so it neither allocates
 * nor uses a regex: the pattern is kept as its literal pieces between the stars.
 */
public final class ClassNamePattern {

    private final String text;
    /** The literal text between stars; {@code pieces.length == 1} when there is no star. */
    private final String[] pieces;

    private ClassNamePattern(String text, String[] pieces) {
        this.text = text;
        this.pieces = pieces;
    }

    /**
     * @throws IllegalArgumentException whose message says what is wrong and what is valid (it follows
     *                                  the value in a {@link ConfigProblem} line)
     */
    public static ClassNamePattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty; " + EXPECTED);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/') {
                throw new IllegalArgumentException("uses '/'; write the binary name with dots, e.g. "
                        + text.replace('/', '.'));
            }
            if (c != '.' && c != '*' && !Character.isJavaIdentifierPart(c) || Character.isIdentifierIgnorable(c)) {
                throw new IllegalArgumentException("has '" + printable(c) + "' at index " + i + "; " + EXPECTED);
            }
        }
        if (text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
            throw new IllegalArgumentException("has an empty package or class name between dots; " + EXPECTED);
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int star = text.indexOf('*'); star >= 0; star = text.indexOf('*', start)) {
            pieces.add(text.substring(start, star));
            start = star + 1;
        }
        pieces.add(text.substring(start));
        return new ClassNamePattern(text, pieces.toArray(new String[0]));
    }

    private static final String EXPECTED = "expected a binary class name such as com.example.NicPoller or "
            + "com.example.Outer$Inner, with * for any characters (e.g. *StorageTask)";

    private static String printable(char c) {
        if (Character.isISOControl(c) || Character.isWhitespace(c)) {
            StringBuilder sb = new StringBuilder(6);
            ConfigProblem.appendUnicodeEscape(sb, c);
            return sb.toString();
        }
        return String.valueOf(c);
    }

    /** Whether a binary class name such as {@code com.example.Outer$Inner} matches; allocation-free. */
    public boolean matches(String binaryClassName) {
        if (binaryClassName == null) {
            return false;
        }
        if (pieces.length == 1) {
            return text.equals(binaryClassName);
        }
        String first = pieces[0];
        String last = pieces[pieces.length - 1];
        int length = binaryClassName.length();
        if (length < first.length() + last.length()
                || !binaryClassName.startsWith(first)
                || !binaryClassName.endsWith(last)) {
            return false;
        }
        // The stars between the first and last piece: taking each middle piece at its leftmost place
        // leaves the most room for the ones after it, so the greedy search is exact.
        int from = first.length();
        int end = length - last.length();
        for (int p = 1; p < pieces.length - 1; p++) {
            String piece = pieces[p];
            int at = binaryClassName.indexOf(piece, from);
            if (at < 0 || at + piece.length() > end) {
                return false;
            }
            from = at + piece.length();
        }
        return true;
    }

    /** Whether the pattern has a {@code *}. */
    public boolean isWildcard() {
        return pieces.length > 1;
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassNamePattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
