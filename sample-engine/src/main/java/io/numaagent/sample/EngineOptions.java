package io.numaagent.sample;

import java.util.Locale;

/** The engine's command line, parsed once in {@code main}. */
record EngineOptions(int devices, int bufferMib, int passes, int ioThreads, boolean hold, PageSource pageSource) {

    /** Where the per-page NUMA node of a worker's buffer is read from. */
    enum PageSource { AUTO, MOVE_PAGES, NUMA_MAPS }

    static final String USAGE = String.join("\n",
            "usage: java -jar sample-engine.jar [options]",
            "  --devices N          device workers (threads gpu-worker-0..N-1), default 2",
            "  --buffer-mib M       direct buffer per worker in MiB, default 64",
            "  --passes P           read+write passes over each buffer, default 3",
            "  --io-threads K       threads io-0..K-1 in the I/O pool, default 2",
            "  --hold               after the results print 'READY pid=<pid>' and keep every thread alive",
            "                       until a line is read from stdin or stdin closes",
            "  --page-source S      auto (move_pages, else numa_maps), move_pages or numa_maps; default auto",
            "  --help               this text");

    static EngineOptions parse(String[] args) {
        int devices = 2;
        int bufferMib = 64;
        int passes = 3;
        int ioThreads = 2;
        boolean hold = false;
        PageSource pageSource = PageSource.AUTO;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--devices" -> devices = positive(arg, valueOf(args, ++i, arg));
                case "--buffer-mib" -> bufferMib = positive(arg, valueOf(args, ++i, arg));
                case "--passes" -> passes = positive(arg, valueOf(args, ++i, arg));
                case "--io-threads" -> ioThreads = positive(arg, valueOf(args, ++i, arg));
                case "--hold" -> hold = true;
                case "--page-source" -> pageSource = pageSource(valueOf(args, ++i, arg));
                case "--help", "-h" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return new EngineOptions(devices, bufferMib, passes, ioThreads, hold, pageSource);
    }

    private static String valueOf(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the valid range
        }
        throw new UsageException(option + " '" + value + "' is not valid: expected a positive integer");
    }

    private static PageSource pageSource(String value) {
        try {
            return PageSource.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--page-source '" + value + "' is not valid: expected auto, move_pages or numa_maps");
        }
    }

    /** A bad command line; a null message means --help. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
