# Runs a command and writes what Node cannot tell about a child process to a JSON file:
#   python3 childUsage.py REPORT COMMAND [ARGS...]
# - cpuMs: the CPU time of the command's own process (every thread, exec'd programs included), read from
#   its CPU clock once it has exited but before it is reaped, so processes it started are not in it;
# - treeCpuMs: user + system time of the process and every child it waited for (what GNU time reports);
# - maxRssKb: the largest peak RSS among the process and those children (the kernel keeps one maximum);
# - wallMs: from spawn to exit, without this interpreter's own start-up.
# GNU time prints 10 ms steps and counts the children's CPU too; this is exact to the microsecond.
import json
import os
import sys
import time

report, command = sys.argv[1], sys.argv[2:]
# Python would otherwise add LC_CTYPE to the command's environment when it has no locale (PEP 538).
env = {name: value for name, value in os.environ.items() if name != "PYTHONCOERCECLOCALE"}
started = time.monotonic_ns()
pid = os.posix_spawn(command[0], command, env)
os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
wall_ns = time.monotonic_ns() - started
# The process-wide CPU clock of pid (CPUCLOCK_SCHED, see clock_getcpuclockid(3) and linux/posix-timers.h).
own_ns = time.clock_gettime_ns(((~pid) << 3) | 2)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    json.dump({
        "wallMs": wall_ns / 1e6,
        "cpuMs": own_ns / 1e6,
        "treeCpuMs": (usage.ru_utime + usage.ru_stime) * 1000,
        "maxRssKb": usage.ru_maxrss,
    }, out)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
