package io.numaagent.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * How {@link AgentEntry} hands premain (or agentmain) to the installer in the agent class loader
 * without a reflective call: the installer registers one of these when its class initialises (see
 * {@link AgentEntry#register}). Since JDK 18 a reflective {@code Method.invoke} is built from method
 * handles, and the first call of a new shape spins their classes: for the installer's five-argument
 * method that cost premain about 20 ms on JDK 25 (about 0.4 ms on JDK 17), measured on the build machine.
 */
public interface AgentStarter {

    void start(String args, Instrumentation inst, File agentJar, boolean attached, boolean onBootPath);
}
