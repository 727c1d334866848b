package io.numaagent.placement;

import io.numaagent.topology.CpuSet;

/**
 * Where the n-th live thread of a rule on one device goes, for the choices that place threads of
 * one rule differently ({@code fast}, {@code l3}, {@code spread}, {@code pack}).
 *
 * @param cpus        the CPUs to bind the thread to
 * @param memoryNodes the nodes for its memory policy (the slot's own node for spread and pack)
 * @param what        what the slot is, for the log line and the plan, e.g. {@code fast class 0} or {@code L3 2-3}
 */
public record ThreadSlot(CpuSet cpus, CpuSet memoryNodes, String what) {
}
