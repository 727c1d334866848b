/*
 * numa-agent's JNI library: the five system calls a pin and a memory policy need, and nothing else.
 *
 * Why a library of our own next to JNA: JNA's first use costs a cold JVM about 80 ms of CPU (its
 * java.util.logging set-up, its native part copied out of the jar through a SecureRandom temp name,
 * and the Structure type tables it builds by reflection for direct mapping), and the first thread a
 * rule matches waits for all of it. This library loads in about a millisecond. JNA stays the
 * fallback wherever this library was not built (another architecture) or cannot be loaded.
 *
 * Every function returns 0 or the errno and never leaves a Java exception pending: the callers run
 * in engine threads, which the agent must never throw into.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io_numaagent_binding_JniSyscalls.h"

/* Masks of up to 8192 CPUs or nodes are copied through the stack; longer ones through the heap. */
#define STACK_WORDS 128

/* Bumped with any change of the Java side's native methods; JniSyscalls refuses another value. */
#define ABI_VERSION 1

/* A C copy of a Java long[] (or of nothing, for null), on the stack when it fits. */
struct words {
    jlong stack[STACK_WORDS];
    jlong *data;
    jsize length;
};

/* Copies in `array` (copy_in) or only makes room for it; false when the heap is exhausted. */
static int words_open(JNIEnv *env, jlongArray array, int copy_in, struct words *w) {
    w->length = array == NULL ? 0 : (*env)->GetArrayLength(env, array);
    w->data = w->length <= STACK_WORDS ? w->stack : malloc((size_t) w->length * sizeof(jlong));
    if (w->data == NULL) {
        return 0;
    }
    if (copy_in && w->length > 0) {
        (*env)->GetLongArrayRegion(env, array, 0, w->length, w->data);
    }
    return 1;
}

/* Whether a node mask of `w` holds the maxnode - 1 bits the kernel reads or writes (null: maxnode 0 only). */
static int fits(jlongArray array, const struct words *w, jlong maxnode) {
    if (maxnode < 0) {
        return 0;
    }
    return array == NULL ? maxnode == 0 : (unsigned long) maxnode <= (unsigned long) w->length * 64 + 1;
}

/* Copies the words back into `array` (copy_out) and frees the heap copy. */
static void words_close(JNIEnv *env, jlongArray array, int copy_out, struct words *w) {
    if (copy_out && w->length > 0) {
        (*env)->SetLongArrayRegion(env, array, 0, w->length, w->data);
    }
    if (w->data != w->stack) {
        free(w->data);
    }
}

/* words_open for a node mask the kernel reads or writes maxnode - 1 bits of: 0, ENOMEM, or EINVAL when it is shorter. */
static int nodemask_open(JNIEnv *env, jlongArray nodemask, int copy_in, jlong maxnode, struct words *w) {
    if (!words_open(env, nodemask, copy_in, w)) {
        return ENOMEM;
    }
    if (!fits(nodemask, w, maxnode)) {
        words_close(env, nodemask, 0, w);
        return EINVAL;
    }
    return 0;
}

JNIEXPORT jint JNICALL Java_io_numaagent_binding_JniSyscalls_abiVersion(JNIEnv *env, jclass cls) {
    return ABI_VERSION;
}

JNIEXPORT jint JNICALL Java_io_numaagent_binding_JniSyscalls_schedSetaffinity(JNIEnv *env, jclass cls, jint tid, jlongArray mask) {
    struct words w;
    if (!words_open(env, mask, 1, &w)) {
        return ENOMEM;
    }
    /* glibc's wrapper, not the raw call: the same on every architecture, and in glibc since 2.3.4. */
    int rc = sched_setaffinity((pid_t) tid, (size_t) w.length * sizeof(jlong), (cpu_set_t *) w.data);
    int err = rc == 0 ? 0 : errno;
    words_close(env, mask, 0, &w);
    return err;
}

JNIEXPORT jint JNICALL Java_io_numaagent_binding_JniSyscalls_schedGetaffinity(JNIEnv *env, jclass cls, jlongArray mask) {
    struct words w;
    if (!words_open(env, mask, 0, &w)) {
        return ENOMEM;
    }
    /* glibc's wrapper zeroes the words past the kernel's own mask; the raw call leaves them as they were. */
    int rc = sched_getaffinity(0, (size_t) w.length * sizeof(jlong), (cpu_set_t *) w.data);
    int err = rc == 0 ? 0 : errno;
    words_close(env, mask, err == 0, &w);
    return err;
}

JNIEXPORT jint JNICALL Java_io_numaagent_binding_JniSyscalls_gettid(JNIEnv *env, jclass cls) {
    /* The raw call: glibc exports gettid() only from 2.30. */
    return (jint) syscall(SYS_gettid);
}

JNIEXPORT jint JNICALL Java_io_numaagent_binding_JniSyscalls_setMempolicySyscall(JNIEnv *env, jclass cls, jint mode, jlongArray nodemask, jlong maxnode) {
    struct words w;
    int refused = nodemask_open(env, nodemask, 1, maxnode, &w);
    if (refused != 0) {
        return refused;
    }
    /* What libnuma's set_mempolicy() is: the raw call, whose number <sys/syscall.h> gives per architecture. */
    long rc = syscall(SYS_set_mempolicy, (int) mode, nodemask == NULL ? NULL : w.data, (unsigned long) maxnode);
    int err = rc == 0 ? 0 : errno;
    words_close(env, nodemask, 0, &w);
    return err;
}

JNIEXPORT jint JNICALL Java_io_numaagent_binding_JniSyscalls_getMempolicySyscall(JNIEnv *env, jclass cls, jintArray mode, jlongArray nodemask, jlong maxnode) {
    struct words w;
    int refused = nodemask_open(env, nodemask, 0, maxnode, &w);
    if (refused != 0) {
        return refused;
    }
    int policy = 0;
    long rc = syscall(SYS_get_mempolicy, &policy, nodemask == NULL ? NULL : w.data, (unsigned long) maxnode, NULL, 0UL);
    int err = rc == 0 ? 0 : errno;
    words_close(env, nodemask, err == 0, &w);
    if (err == 0 && mode != NULL && (*env)->GetArrayLength(env, mode) > 0) {
        jint m = policy;
        (*env)->SetIntArrayRegion(env, mode, 0, 1, &m);
    }
    return err;
}
