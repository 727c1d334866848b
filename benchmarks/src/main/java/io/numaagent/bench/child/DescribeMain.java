package io.numaagent.bench.child;

/** Prints the JDK a child JVM runs on, for the machine section of the report. */
public final class DescribeMain {

    private DescribeMain() {
    }

    public static void main(String[] args) {
        System.out.println("JDK " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")");
        System.out.println("FEATURE " + Runtime.version().feature());
    }
}
