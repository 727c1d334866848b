package io.numaagent.sample;

public final class SampleEngine {
    public static void main(String[] args) {
    }
}
