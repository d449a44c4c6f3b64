// The simulator's hook-tool program. (Being filled in: see docs/architecture.md.)
process.exitCode = 0;
