package io.numaagent.binding;

import io.numaagent.topology.CpuSet;

/** CPU pinning or memory policy that could not load: every call says why; none touches native code. */
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
}
