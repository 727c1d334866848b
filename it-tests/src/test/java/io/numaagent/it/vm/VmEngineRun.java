package io.numaagent.it.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.numaagent.it.EngineOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One engine run inside the VM, read from the files the script left: the engine's result lines
 * ({@code NAME.out}), its raw /proc dump ({@code NAME.proc}: tid, comm, CPUs, policy) and the
 * {@code check --json} output.
 */
final class VmEngineRun {

    private final NumaVm.Result vm;
    private final String name;

    VmEngineRun(NumaVm.Result vm, String name) {
        this.vm = vm;
        this.name = name;
    }

    EngineOutput engine() {
        return EngineOutput.parse(vm.lines(name + ".out"));
    }

    String exitCode() {
        return vm.read(name + ".rc").strip();
    }

    /**
     * A worker's pages as the engine counted them, e.g. {@code N0:4097,absent:2} → {N0=4097, absent=2}:
     * {@code N<node>}, or why move_pages gave a page no node ({@code absent}, {@code errno<E>}).
     */
    Map<String, Long> workerPages(String worker) {
        Map<String, Long> pages = new TreeMap<>();
        for (String part : engine().thread(worker).get("pages").split(",")) {
            String[] kv = part.split(":");
            if (kv.length == 2) {
                pages.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return pages;
    }

    /** The share of every page of a worker's buffer (absent ones count too) that sits on one node, 0..1. */
    double shareOn(String worker, int node) {
        Map<String, Long> pages = workerPages(worker);
        long total = pages.values().stream().mapToLong(Long::longValue).sum();
        return total == 0 ? 0 : pages.getOrDefault("N" + node, 0L) / (double) total;
    }

    /** The raw /proc dump: tid to {comm, cpus, policy}. */
    Map<Long, List<String>> proc() {
        Map<Long, List<String>> tasks = new LinkedHashMap<>();
        for (String line : vm.lines(name + ".proc")) {
            String[] f = line.split("\t", -1);
            tasks.put(Long.parseLong(f[0]), List.of(f[1], f[2], f.length > 3 ? f[3] : ""));
        }
        return tasks;
    }

    String checkExitCode() {
        return vm.read(name + ".check.rc").strip();
    }

    String checkText() {
        return vm.read(name + ".check.txt");
    }

    JsonNode checkJson() {
        try {
            return new ObjectMapper().readTree(vm.read(name + ".check.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("check --json did not print JSON\n" + vm.describe(), e);
        }
    }

    /** The check JSON's entry for a thread id. */
    JsonNode checkedThread(long tid) {
        for (JsonNode t : checkJson().get("threads")) {
            if (t.get("tid").asLong() == tid) {
                return t;
            }
        }
        throw new AssertionError("check --json lists no thread " + tid + "\n" + vm.describe());
    }

    /** One line for the test log: where each worker's pages landed. */
    String pagesLine() {
        StringBuilder sb = new StringBuilder(String.format("%-20s", name));
        for (EngineOutput.Line w : engine().workers()) {
            sb.append(String.format("  %s cpus=%-4s %-16s pages %s", w.name(), w.get("cpus"), w.get("mempolicy"), w.get("pages")));
        }
        return sb.toString();
    }
}
