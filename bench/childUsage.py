# Runs a command and writes what Node cannot tell about a child process to a JSON file:
#   python3 childUsage.py REPORT COMMAND [ARGS...]
# - cpuMs: the CPU time of the command's own process (every thread, exec'd programs included), read from
#   its CPU clock once it has exited but before it is reaped, so processes it started are not in it;
# - treeCpuMs: user + system time of the process and every child it waited for (what GNU time reports);
# - maxRssKb: the largest peak RSS among the process and those children (the kernel keeps one maximum);
# - ownMaxRssKb: the command's own peak RSS (VmHWM), read when it stops at its exit under ptrace, while its
#   memory still exists; absent where ptrace is not allowed;
# - wallMs: from spawn to exit, without this interpreter's own start-up.
# GNU time prints 10 ms steps and counts the children's CPU too; this is exact to the microsecond.
import ctypes
import json
import os
import signal
import sys
import time

PTRACE_CONT, PTRACE_SEIZE, PTRACE_O_TRACEEXIT, PTRACE_EVENT_EXIT = 7, 0x4206, 0x40, 6
WALL = 0x40000000

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


report, command = sys.argv[1], sys.argv[2:]
# Python would otherwise add LC_CTYPE to the command's environment when it has no locale (PEP 538).
env = {name: value for name, value in os.environ.items() if name != "PYTHONCOERCECLOCALE"}
started = time.monotonic_ns()
pid = os.posix_spawn(command[0], command, env)
traced = libc.ptrace(PTRACE_SEIZE, pid, None, ctypes.c_void_p(PTRACE_O_TRACEEXIT)) == 0
own_peak = None
while True:
    # Peek, so the exit is seen without reaping: the CPU clock is read from the zombie below.
    info = os.waitid(os.P_PID, pid, os.WEXITED | os.WSTOPPED | os.WNOWAIT | WALL)
    if info.si_code not in (os.CLD_TRAPPED, os.CLD_STOPPED):
        break
    _, stop = os.waitpid(pid, WALL)
    if stop >> 8 == signal.SIGTRAP | (PTRACE_EVENT_EXIT << 8):
        own_peak = peak_rss_kb(pid)
        libc.ptrace(PTRACE_CONT, pid, None, None)
    else:  # a signal on its way to the command (SIGCHLD from the hook tools): deliver it
        libc.ptrace(PTRACE_CONT, pid, None, ctypes.c_void_p(os.WSTOPSIG(stop)))
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
        **({"ownMaxRssKb": own_peak} if traced and own_peak is not None else {}),
    }, out)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
