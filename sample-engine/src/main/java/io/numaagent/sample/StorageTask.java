package io.numaagent.sample;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The engine's storage I/O: writes a small file, syncs it, reads it back. A Runnable of its own class so that
 * runnable-class rules can match it, whether it runs in the I/O pool or in a thread made for it.
 */
public final class StorageTask implements Runnable {

    private static final int BYTES = 1 << 20;

    private final RunControl control;
    private final boolean holdThread;

    /**
     * @param holdThread whether this task keeps its thread under --hold; pool threads stay alive anyway,
     *                   a dedicated thread would end with the task
     */
    StorageTask(RunControl control, boolean holdThread) {
        this.control = control;
        this.holdThread = holdThread;
    }

    @Override
    public void run() {
        String line = control.threadLine();
        try {
            line += " checksum=" + writeAndReadBack();
        } catch (IOException | RuntimeException e) {
            line += " error=" + e.toString().replace(' ', '_');
        }
        control.report(false, line);
        if (holdThread) {
            control.awaitRelease();
        }
    }

    private static long writeAndReadBack() throws IOException {
        Path file = Files.createTempFile("sample-engine-", ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer out = ByteBuffer.allocate(BYTES);
            for (int i = 0; i < BYTES; i++) {
                out.put((byte) i);
            }
            out.flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.force(true);
            ByteBuffer in = ByteBuffer.allocate(BYTES);
            channel.position(0);
            while (in.hasRemaining() && channel.read(in) >= 0) {
                // keep reading
            }
            in.flip();
            long checksum = 0;
            while (in.hasRemaining()) {
                checksum += in.get() & 0xff;
            }
            return checksum;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
