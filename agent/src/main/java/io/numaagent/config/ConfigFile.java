package io.numaagent.config;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The syntax layer: the bytes of the configuration file to {@code key = value} entries with their
 * line numbers. Hand-written rather than {@link java.util.Properties}, which would unescape
 * backslashes (a regex {@code \d} would become {@code d}), forget line numbers and lose the order of
 * the rules. See the package documentation for the exact syntax.
 */
final class ConfigFile {

    /** Far above any real configuration; a larger file is the wrong file (a log, a heap dump). */
    static final int MAX_BYTES = 1 << 20;

    /**
     * One {@code key = value} as written; the value trimmed and without its comment. A line that is
     * not {@code key = value} is an entry too, {@code malformed}, with the whole line as its key: the
     * loader reports it and spoils the rule it seems to belong to ({@code rule.gpu.cpus core} must not
     * leave rule gpu working with the default cpus).
     */
    record Entry(String key, String value, Location location, boolean malformed) {
        Entry(String key, String value, Location location) {
            this(key, value, location, false);
        }
    }

    private ConfigFile() {
    }

    /**
     * Reads and splits the file; what cannot be read becomes a problem and no entries.
     *
     * @param name the agent argument, trimmed and non-empty
     */
    static List<Entry> read(String name, List<ConfigProblem> problems) {
        Location whole = Location.ofFile(name);
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            problems.add(new ConfigProblem(whole, null, null,
                    "is not a valid path (" + e.getReason() + "); the agent argument must be the path of the configuration file"));
            return List.of();
        }
        if (Files.isDirectory(path)) {
            problems.add(new ConfigProblem(whole, null, null,
                    "is a directory; the agent argument must be the path of the configuration file"));
            return List.of();
        }
        byte[] bytes;
        try {
            // Files.size first, so a 10 MB file is refused without reading it; the bounded read
            // still guards against a file that grows, or a pipe whose size is 0.
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                problems.add(tooLarge(whole, size));
                return List.of();
            }
            try (InputStream in = open(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                problems.add(tooLarge(whole, -1));
                return List.of();
            }
        } catch (NoSuchFileException e) {
            problems.add(new ConfigProblem(whole, null, null, "does not exist (looked for "
                    + path.toAbsolutePath() + "); the agent argument must be the path of the configuration file"));
            return List.of();
        } catch (IOException | SecurityException e) {
            problems.add(new ConfigProblem(whole, null, null, "cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); it must be a readable UTF-8 file"));
            return List.of();
        }
        String text = decode(bytes, name, problems);
        return text == null ? List.of() : split(text, name, problems);
    }

    /**
     * A {@code FileInputStream}, which the JVM has loaded already, where {@code Files.newInputStream}
     * would load some 30 channel classes into premain. Only when it fails is the file opened again
     * through {@code Files}, whose exception names the reason ({@code NoSuchFileException},
     * {@code AccessDeniedException}) where {@code FileNotFoundException} only has text.
     */
    private static InputStream open(Path path) throws IOException {
        try {
            return new FileInputStream(path.toFile());
        } catch (FileNotFoundException | UnsupportedOperationException e) {
            return Files.newInputStream(path);
        }
    }

    private static ConfigProblem tooLarge(Location whole, long size) {
        return new ConfigProblem(whole, null, null, "is " + (size >= 0 ? size + " bytes" : "larger than that")
                + "; a configuration file is at most " + MAX_BYTES + " bytes (1 MiB): is this the right file?");
    }

    /** Strict UTF-8 (a Latin-1 'é' must not silently become U+FFFD in a regex); null on error. */
    static String decode(byte[] bytes, String name, List<ConfigProblem> problems) {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n')) {
                    line++;
                }
            }
            // Not String.format: the Formatter costs start-up classes (this runs in premain).
            String hex = Integer.toHexString(bytes[offset] & 0xff).toUpperCase(Locale.ROOT);
            problems.add(new ConfigProblem(Location.ofLine(name, line), null, null, "is not UTF-8 (byte 0x"
                    + (hex.length() < 2 ? "0" + hex : hex) + " at offset " + offset + "); save the file as UTF-8"));
            return null;
        }
        out.flip();
        return out.toString();
    }

    /** Lines to entries; blank lines and comments are left out. */
    static List<Entry> split(String text, String name, List<ConfigProblem> problems) {
        List<Entry> entries = new ArrayList<>();
        int lineNumber = 0;
        int i = 0;
        while (i < text.length()) {
            int end = i;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            lineNumber++;
            parseLine(text.substring(i, end), Location.ofLine(name, lineNumber), entries, problems);
            if (end < text.length() && text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n') {
                end++;
            }
            i = end + 1;
        }
        return entries;
    }

    private static void parseLine(String line, Location where, List<Entry> entries, List<ConfigProblem> problems) {
        String content = line.strip();
        if (content.isEmpty() || content.charAt(0) == '#') {
            return;
        }
        int eq = content.indexOf('=');
        if (eq < 0) {
            entries.add(new Entry(content, null, where, true));
            return;
        }
        String key = content.substring(0, eq).strip();
        String value = stripComment(content.substring(eq + 1)).strip();
        if (key.isEmpty()) {
            problems.add(new ConfigProblem(where, "", value, "has no key before '='; expected e.g. rule.gpu.device = gpu:0"));
            return;
        }
        entries.add(new Entry(key, value, where));
    }

    /** A '#' at the start of the value or after white space starts a comment; any other '#' is text. */
    static String stripComment(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '#' && (i == 0 || Character.isWhitespace(value.charAt(i - 1)))) {
                return value.substring(0, i);
            }
        }
        return value;
    }
}
