package io.numaagent.binding;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A native library of the agent's as a file the dynamic linker can open: copied out of the jar into
 * {@code <tmp>/numa-agent-<uid>/}, a directory that only this user can write, under a name that
 * says its contents ({@code libnumaagent-jni-<crc32>-<length>.so}), and reused by every later JVM
 * while its bytes still match.
 *
 * <p>Why not {@code File.createTempFile}, as JNA does: its random name seeds a {@code SecureRandom}
 * (security providers, about 10 ms of a cold JVM), and each JVM leaves one more file behind when it
 * is killed. Why the checks: a library loaded from a directory that another user can write is code
 * that user chose; the directory must be ours, not a link, and closed to group and others, and no
 * directory above it may let another user swap it for theirs (owned by root or us, and sticky when
 * others may write it), or nothing is loaded from it.
 */
final class PrivateLibraryCopy {

    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final String DIRECTORY_ATTRIBUTES = "unix:isDirectory,uid,mode";

    private PrivateLibraryCopy() {
    }

    /**
     * The path of a file holding exactly {@code library}, in this user's private directory under {@code tmp}.
     *
     * @param name the file name's stem, e.g. {@code libnumaagent-jni}
     * @throws IOException naming the directory and what is wrong with it, or the failed write
     */
    static Path install(byte[] library, String name, Path tmp) throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path realTmp = tmp.toRealPath();
        checkNoOtherUserCanReplaceEntriesOf(realTmp, uid);
        Path dir = realTmp.resolve("numa-agent-" + uid);
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, DIRECTORY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException missing) {
            // The first JVM since boot (or since tmp was cleaned). Asked first and made only when missing:
            // making it with its permissions loads a dozen JDK classes, which every later JVM is spared.
            try {
                Files.createDirectory(dir, ownerOnly());
            } catch (FileAlreadyExistsException madeConcurrently) {
                // by another JVM, or by someone else: checked below either way
            }
            a = Files.readAttributes(dir, DIRECTORY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
        if (!(Boolean) a.get("isDirectory")) {
            throw new IOException(dir + " is not a directory (a link or a file)");
        }
        if ((Integer) a.get("uid") != uid) {
            throw new IOException(dir + " belongs to uid " + a.get("uid") + ", not to this process's uid " + uid);
        }
        int mode = (Integer) a.get("mode");
        if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
            throw new IOException(dir + " is writable by group or others (mode " + Integer.toOctalString(mode & 0777) + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(library);
        Path file = dir.resolve(name + "-" + Long.toHexString(crc.getValue()) + "-" + library.length + ".so");
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == library.length && sameBytes(file, library)) {
            return file;
        }
        // Written whole under a name of this JVM's, then renamed: another JVM never sees half a library.
        Path partial = dir.resolve("." + file.getFileName() + "." + System.nanoTime() + ".tmp");
        try {
            Files.write(partial, library, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return file;
    }

    /**
     * Whether another user could rename the private directory away and put one of theirs in its place:
     * possible when {@code realDir} or a directory above it belongs to someone other than root and this
     * user, or may be written by group or others without the sticky bit that /tmp has.
     */
    private static void checkNoOtherUserCanReplaceEntriesOf(Path realDir, int uid) throws IOException {
        for (Path p = realDir; p != null; p = p.getParent()) {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) a.get("uid");
            int mode = (Integer) a.get("mode");
            if (owner != 0 && owner != uid) {
                throw new IOException(p + " belongs to uid " + owner + ", who could replace what this user makes under " + realDir);
            }
            if ((mode & GROUP_OR_OTHER_WRITE) != 0 && (mode & STICKY) == 0) {
                throw new IOException(p + " is writable by group or others without the sticky bit (mode "
                        + Integer.toOctalString(mode & 07777) + "), so they could replace what this user makes under " + realDir);
            }
        }
    }

    /**
     * rwx------, spelt out, and built only when a directory is made: {@code PosixFilePermissions.fromString}
     * builds an EnumSet, whose enum table is read by reflection.
     */
    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    }

    /** Read through a FileInputStream, whose classes every JVM has loaded (Files.readAllBytes loads ~20 channel classes). */
    private static boolean sameBytes(Path file, byte[] expected) throws IOException {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return Arrays.equals(in.readAllBytes(), expected);
        }
    }
}
