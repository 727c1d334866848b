package io.numaagent;

import java.io.File;
import java.lang.instrument.Instrumentation;

/** Runs in the agent class loader at premain: reads the configuration and the machine, arms the hook. */
public final class AgentInstaller {

    private AgentInstaller() {
    }

    public static void install(String args, Instrumentation inst, File agentJar, boolean attached, boolean onBootPath) {
    }
}
