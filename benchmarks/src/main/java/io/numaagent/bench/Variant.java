package io.numaagent.bench;

import java.util.List;

/** One way of running a child JVM: a display name and the JVM options that make it different. */
record Variant(String name, List<String> jvmOptions) {
}
