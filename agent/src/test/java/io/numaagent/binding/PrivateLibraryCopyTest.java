package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the agent's JNI library is copied, when a copy is reused, and which directories are refused. */
class PrivateLibraryCopyTest {

    private static final byte[] LIBRARY = "not really ELF, but bytes are bytes".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private Path privateDir() throws IOException {
        return tmp.toRealPath().resolve("numa-agent-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    @Test
    void copiesIntoAnOwnerOnlyDirectoryUnderANameThatSaysItsContents() throws Exception {
        Path file = PrivateLibraryCopy.install(LIBRARY, "libx", tmp);
        assertEquals(privateDir(), file.getParent());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(file.getFileName().toString().matches("libx-[0-9a-f]{1,8}-" + LIBRARY.length + "\\.so"), file.toString());
        assertArrayEquals(LIBRARY, Files.readAllBytes(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no partial copy left behind");
        }
    }

    @Test
    void aMatchingCopyIsReusedAsItIs() throws Exception {
        Path first = PrivateLibraryCopy.install(LIBRARY, "libx", tmp);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, old);
        Path second = PrivateLibraryCopy.install(LIBRARY, "libx", tmp);
        assertEquals(first, second);
        assertEquals(old, Files.getLastModifiedTime(second), "the copy was written again");
    }

    @Test
    void aCopyWhoseBytesDifferIsReplaced() throws Exception {
        Path first = PrivateLibraryCopy.install(LIBRARY, "libx", tmp);
        byte[] tampered = LIBRARY.clone();
        tampered[0] ^= 1;
        Files.write(first, tampered);
        Path second = PrivateLibraryCopy.install(LIBRARY, "libx", tmp);
        assertEquals(first, second);
        assertArrayEquals(LIBRARY, Files.readAllBytes(second));
    }

    @Test
    void anotherLibraryGetsAnotherName() throws Exception {
        Path a = PrivateLibraryCopy.install(LIBRARY, "libx", tmp);
        Path b = PrivateLibraryCopy.install("other bytes".getBytes(StandardCharsets.US_ASCII), "libx", tmp);
        assertTrue(!a.equals(b), a + " " + b);
        assertArrayEquals(LIBRARY, Files.readAllBytes(a));
    }

    @Test
    void aDirectoryOthersCanWriteIsRefused() throws Exception {
        Files.createDirectory(privateDir());
        Files.setPosixFilePermissions(privateDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> PrivateLibraryCopy.install(LIBRARY, "libx", tmp));
        assertEquals(privateDir() + " is writable by group or others (mode 777)", e.getMessage());
    }

    private static void chmod(String mode, Path path) throws Exception {
        Process p = new ProcessBuilder("chmod", mode, path.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "chmod " + mode + " " + path);
    }

    @Test
    void aTempDirectoryOthersCanWriteWithoutTheStickyBitIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        chmod("0777", shared);
        IOException e = assertThrows(IOException.class, () -> PrivateLibraryCopy.install(LIBRARY, "libx", shared));
        assertEquals(shared.toRealPath() + " is writable by group or others without the sticky bit (mode 777),"
                + " so they could replace what this user makes under " + shared.toRealPath(), e.getMessage());
        try (var files = Files.list(shared)) {
            assertEquals(List.of(), files.toList(), "nothing made in it");
        }
    }

    @Test
    void aTempDirectoryOthersCanWriteWithTheStickyBitIsUsedLikeTmp() throws Exception {
        Path sticky = Files.createDirectory(tmp.resolve("sticky"));
        chmod("1777", sticky);
        Path file = PrivateLibraryCopy.install(LIBRARY, "libx", sticky);
        assertEquals(sticky.toRealPath(), file.getParent().getParent());
    }

    @Test
    void aLinkInPlaceOfTheDirectoryIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(privateDir(), elsewhere);
        IOException e = assertThrows(IOException.class, () -> PrivateLibraryCopy.install(LIBRARY, "libx", tmp));
        assertEquals(privateDir() + " is not a directory (a link or a file)", e.getMessage());
        try (var files = Files.list(elsewhere)) {
            assertEquals(List.of(), files.toList());
        }
    }
}
