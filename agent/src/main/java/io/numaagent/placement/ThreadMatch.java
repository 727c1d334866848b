package io.numaagent.placement;

import io.numaagent.config.Rule;

/** A thread that a rule matched, and the device name its rule expands to for this thread. */
public record ThreadMatch(Rule rule, String deviceName) {
}
