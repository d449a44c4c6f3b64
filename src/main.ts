// Entry point of the charm binary. (Being filled in: see docs/architecture.md.)
process.exitCode = 0;
