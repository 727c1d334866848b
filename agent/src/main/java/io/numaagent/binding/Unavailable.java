package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.util.List;
import java.util.Optional;

/**
 * CPU pinning or memory policy that could not load: every call says why; none touches native code.
 * Also exclusive CPUs when no rule needs them.
 */
final class Unavailable {

    private Unavailable() {
    }

    static final class Cpus implements CpuAffinity {
        private final String reason;

        Cpus(String reason) {
            this.reason = reason;
        }

        @Override
        public boolean available() {
            return false;
        }

        @Override
        public CpuSet bindCurrentThread(CpuSet cpus) throws BindingException {
            throw new BindingException("CPU pinning is off: " + reason);
        }

        @Override
        public void bindThread(int tid, CpuSet cpus) throws BindingException {
            throw new BindingException("CPU pinning is off: " + reason);
        }

        @Override
        public CpuSet currentThread() throws BindingException {
            throw new BindingException("CPU pinning is off: " + reason);
        }

        @Override
        public int currentTid() {
            return -1;
        }
    }

    static final class Memory implements MemoryPolicies {
        private final String reason;

        Memory(String reason) {
            this.reason = reason;
        }

        @Override
        public boolean available() {
            return false;
        }

        @Override
        public MemoryPolicyState applyToCurrentThread(MemoryMode mode, CpuSet nodes) throws BindingException {
            throw new BindingException("memory policy is off: " + reason);
        }

        @Override
        public MemoryPolicyState currentThread() throws BindingException {
            throw new BindingException("memory policy is off: " + reason);
        }
    }

    /**
     * Exclusive CPUs when no rule asks for them ({@code cpus = core} or {@code cpus = cpu}): no lock
     * directory is opened (creating it and its registry cost the first matched thread's wait ~10 ms),
     * and nothing is ever leased.
     */
    static final class NoExclusiveCpus implements ExclusiveCpus {
        @Override
        public Optional<CpuLease> acquire(List<CpuSet> candidatesInPreferenceOrder, String owner) {
            return Optional.empty();
        }

        @Override
        public int leased() {
            return 0;
        }
    }
}
