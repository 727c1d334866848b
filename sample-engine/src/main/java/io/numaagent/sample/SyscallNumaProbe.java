package io.numaagent.sample;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * move_pages(2) and get_mempolicy(2) through libc's {@code syscall}, with the engine's own JNA.
 * Raw syscalls rather than libnuma because libnuma is often not installed; the numbers are per architecture.
 */
final class SyscallNumaProbe implements NumaProbe {

    private static final int MPOL_F_STATIC_NODES = 1 << 15;
    private static final int MPOL_F_RELATIVE_NODES = 1 << 14;
    private static final int MPOL_F_NUMA_BALANCING = 1 << 13;
    private static final String[] MPOL_MODES = {
            "default", "preferred", "bind", "interleave", "local", "preferred_many", "weighted_interleave"};
    /** Bits in the node mask handed to get_mempolicy: the kernel's largest MAX_NUMNODES. */
    private static final int NODE_MASK_BITS = 1024;
    private static final int ENOENT = 2;

    private final Function syscall;
    private final long sysMovePages;
    private final long sysGetMempolicy;
    private final long pageSize;

    private SyscallNumaProbe(Function syscall, long sysMovePages, long sysGetMempolicy, long pageSize) {
        this.syscall = syscall;
        this.sysMovePages = sysMovePages;
        this.sysGetMempolicy = sysGetMempolicy;
        this.pageSize = pageSize;
    }

    static SyscallNumaProbe load() {
        if (!Platform.isLinux()) {
            throw new IllegalStateException("not Linux");
        }
        long movePages;
        long getMempolicy;
        switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> { movePages = 279; getMempolicy = 239; }
            case "aarch64" -> { movePages = 239; getMempolicy = 236; }
            default -> throw new IllegalStateException("no syscall numbers for os.arch " + System.getProperty("os.arch"));
        }
        Function syscall = Function.getFunction(Platform.C_LIBRARY_NAME, "syscall");
        long pageSize = Function.getFunction(Platform.C_LIBRARY_NAME, "getpagesize").invokeInt(new Object[0]);
        return new SyscallNumaProbe(syscall, movePages, getMempolicy, pageSize);
    }

    @Override
    public PagePlacement pagePlacement(ByteBuffer directBuffer) {
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(directBuffer));
        long first = address & -pageSize;
        long end = address + directBuffer.capacity();
        int count = (int) ((end - first + pageSize - 1) / pageSize);
        Memory pages = new Memory((long) count * Native.POINTER_SIZE);
        for (int i = 0; i < count; i++) {
            pages.setPointer((long) i * Native.POINTER_SIZE, new Pointer(first + i * pageSize));
        }
        Memory status = new Memory(4L * count);
        // move_pages(pid 0 = self, count, pages, nodes NULL = only query, status, flags 0)
        long rc = syscall.invokeLong(new Object[] {sysMovePages, 0L, (long) count, pages, null, status, 0L});
        if (rc < 0) {
            return PagePlacement.unknown("move_pages:errno" + Native.getLastError());
        }
        Map<String, Long> byNode = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int node = status.getInt(4L * i);
            String key = node >= 0 ? "N" + node : (node == -ENOENT ? "absent" : "errno" + -node);
            byNode.merge(key, 1L, Long::sum);
        }
        return new PagePlacement(byNode, "move_pages");
    }

    @Override
    public String memoryPolicy() {
        Memory mode = new Memory(4);
        mode.setInt(0, -1);
        Memory nodeMask = new Memory(NODE_MASK_BITS / 8);
        nodeMask.clear();
        // get_mempolicy(&mode, nodemask, maxnode, addr NULL, flags 0) = the calling thread's policy
        long rc = syscall.invokeLong(new Object[] {sysGetMempolicy, mode, nodeMask, (long) NODE_MASK_BITS, null, 0L});
        if (rc < 0) {
            return "unknown:errno" + Native.getLastError();
        }
        int raw = mode.getInt(0);
        int base = raw & ~(MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING);
        String name = base >= 0 && base < MPOL_MODES.length ? MPOL_MODES[base] : "mode" + base;
        if ((raw & MPOL_F_STATIC_NODES) != 0) {
            name += "=static";
        } else if ((raw & MPOL_F_RELATIVE_NODES) != 0) {
            name += "=relative";
        }
        BitSet nodes = BitSet.valueOf(nodeMask.getByteArray(0, NODE_MASK_BITS / 8));
        // default and local carry no node set
        return nodes.isEmpty() ? name : name + ":" + NodeLists.format(nodes);
    }

    @Override
    public String describe() {
        return "move_pages(jna " + Native.VERSION + ")";
    }
}
