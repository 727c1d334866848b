package io.numaagent.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code java -jar numa-agent.jar COMMAND ...}: the agent's command line. */
public final class Cli {

    /** Exit code for bad input: a bad option, root directory or configuration. */
    public static final int USAGE = 2;

    private Cli() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return args.length == 0 ? USAGE : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "topology":
                return TopologyCommand.run(rest, out, err);
            case "plan":
                return PlanCommand.run(rest, out, err);
            case "check":
                return CheckCommand.run(rest, out, err);
            default:
                err.println("numa-agent: unknown command '" + args[0] + "'; valid: " + commands());
                return USAGE;
        }
    }

    static String commands() {
        return "topology, plan, check, help";
    }

    static String usage() {
        return "usage: java -jar numa-agent.jar COMMAND [OPTIONS]\n"
                + "commands:\n"
                + "  " + TopologyCommand.USAGE + "   print the machine's CPUs, NUMA nodes and devices as the agent sees them\n"
                + "  " + PlanCommand.USAGE + "\n      show, without starting anything, where each rule's (and each named) thread would go and every warning\n"
                + "  " + CheckCommand.USAGE + "\n      read a running engine's threads from /proc and say, per rule, whether the kernel state matches it\n";
    }
}
