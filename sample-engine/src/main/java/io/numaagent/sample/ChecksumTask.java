package io.numaagent.sample;

import java.util.concurrent.RecursiveTask;

/** Fork/join work for the common pool: sums a range by splitting it, as engines do for tokenising or hashing. */
final class ChecksumTask extends RecursiveTask<Long> {

    private static final int LEAF = 1 << 14;

    private final long from;
    private final long to;

    ChecksumTask(long from, long to) {
        this.from = from;
        this.to = to;
    }

    @Override
    protected Long compute() {
        if (to - from <= LEAF) {
            long sum = 0;
            for (long i = from; i < to; i++) {
                sum += i * 31 ^ (i >>> 3);
            }
            return sum;
        }
        long middle = (from + to) >>> 1;
        ChecksumTask left = new ChecksumTask(from, middle);
        left.fork();
        return new ChecksumTask(middle, to).compute() + left.join();
    }
}
