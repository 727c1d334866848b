/**
 * The agent's configuration file, the {@code -Dnuma.agent.KEY=VALUE} overrides, and their validation.
 *
 * <h2>The file</h2>
 * <pre>
 * # Rules are tried in the order they appear in the file; the first that matches a thread wins.
 * # Every match key given in a rule must hold.
 * rule.gpu.thread-name    = gpu-worker-(\d+)         # regex, whole name; single backslashes
 * rule.gpu.device         = gpu:$1                   # gpu:N accel:N net:IFACE nvme:NAME pci:BDF node:N cpus:LIST
 * rule.gpu.cpus           = node                     # node (default) | core | cpu | fast | l3 | spread | pack
 * rule.gpu.memory         = preferred                # preferred (default) | bind | interleave | local | none
 * rule.io.thread-class    = com.example.NicPoller    # the thread's class or a superclass; * wildcard; Outer$Inner
 * rule.io.runnable-class  = *StorageTask             # the Runnable a thread was built with; * wildcard
 * process.cpus            = all                      # all (default) | union
 * strict                  = false                    # true: a configuration problem stops the JVM at start
 * log.level               = info                     # error | warn | info | debug | trace | off
 * sysfs.root              = /                        # read topology under this directory
 * lock.dir                = /dev/shm/numa-agent      # absolute; the cross-process exclusive-CPU lock files
 * </pre>
 *
 * <h2>Syntax, exactly</h2>
 * <ul>
 * <li>UTF-8, at most 1 MiB; a leading byte order mark is skipped; lines end with LF, CRLF or CR.</li>
 * <li>A line is blank, a comment (its first non-blank character is {@code #}), or {@code key = value}
 *     split at the first {@code =}. Key and value are trimmed of white space.</li>
 * <li>In a value, {@code #} starts a comment when it is the value's first character or follows white
 *     space. Nothing else is special: backslashes are literal ({@code \d} stays {@code \d}), so a regex
 *     is written as in a regex tool. To put " #" in a regex write " \#": the {@code #} then follows a
 *     backslash, not white space, and the regex reads {@code \#} as a literal {@code #}.</li>
 * <li>Keys are case-sensitive; the words of values ({@code core}, {@code true}, {@code debug}) are not.</li>
 * <li>Rule names are {@code [A-Za-z0-9_-]+}. A key written twice is a problem naming both lines.</li>
 * <li>{@code -Dnuma.agent.KEY=VALUE} overrides or adds KEY (the value is taken whole: no comments);
 *     rules only named by system properties come after the file's rules, in key order.</li>
 * </ul>
 * This is not {@link java.util.Properties}: Properties would turn {@code \d} into {@code d}, and it
 * forgets line numbers (needed in every problem line) and the order of the rules (the first match wins).
 *
 * <h2>Problems</h2>
 * Every problem is one {@link io.numaagent.config.ConfigProblem} line naming file:line (or the
 * {@code -D} property), key, value and what would be valid. A rule with any problem is left out,
 * including a problem with any key or line that starts {@code rule.NAME} (NAME being the text up to the
 * next dot): a misspelt match key must not leave a rule matching more threads than meant. A global key
 * with a problem keeps its default. Whether to stop the JVM ({@code strict}) is the
 * installer's decision: {@link io.numaagent.config.LoadedConfig#mustStop()}.
 */
package io.numaagent.config;
