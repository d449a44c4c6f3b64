import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { flushLogs, logMessages, formatLogRecord, jujuLogLevel, logger, MAX_LOG_MESSAGE, registerSecret } from "../../src/juju/log.ts";
import { FakeTools, jujuError } from "./fakeTools.ts";

const fake = new FakeTools();
after(() => fake.remove());
beforeEach(() => {
  fake.reset();
  fake.respond("juju-log", {});
  logger.level = "info";
});

describe("juju-log forwarding", () => {
  it("maps pino levels to Juju's names", () => {
    assert.deepEqual([10, 20, 30, 40, 50, 60].map(jujuLogLevel), ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "ERROR"]);
  });

  it("sends one juju-log per record, at flush, in order: a debug-log entry never holds a second record", async () => {
    logger.level = "trace";
    logger.trace("t");
    logger.debug("d");
    logger.info("one");
    logger.info("two");
    logger.warn("careful");
    logger.error("bad");
    logger.fatal("worse");
    logger.info("three");
    assert.deepEqual(fake.calls(), [], "nothing is sent before flushLogs");
    await flushLogs();
    assert.deepEqual(fake.argv(), [
      ["juju-log", "--log-level", "TRACE", "--", "t"],
      ["juju-log", "--log-level", "DEBUG", "--", "d"],
      ["juju-log", "--log-level", "INFO", "--", "one"],
      ["juju-log", "--log-level", "INFO", "--", "two"],
      ["juju-log", "--log-level", "WARNING", "--", "careful"],
      ["juju-log", "--log-level", "ERROR", "--", "bad"],
      ["juju-log", "--log-level", "ERROR", "--", "worse"],
      ["juju-log", "--log-level", "INFO", "--", "three"],
    ]);
  });

  it("defaults to info: debug records are dropped", async () => {
    logger.debug("noise");
    logger.info("kept");
    await flushLogs();
    assert.deepEqual(fake.argv(), [["juju-log", "--log-level", "INFO", "--", "kept"]]);
  });

  it("flushing with nothing buffered makes no call", async () => {
    await flushLogs();
    assert.deepEqual(fake.calls(), []);
  });

  it("writes fields as JSON and errors with their stack", async () => {
    logger.info({ relation: "postgresql:3" }, "database ready");
    logger.error({ err: new Error("boom") }, "reconcile failed");
    await flushLogs();
    const [info, error] = fake.calls().map((call) => call.args.at(-1)!);
    assert.equal(info, "database ready {\"relation\":\"postgresql:3\"}");
    assert.match(error!, /^reconcile failed\nError: boom\n    at /);
  });

  it("replaces every registered secret value with *** (longest first)", async () => {
    registerSecret("abcd-1234");
    registerSecret("abcd-1234-efgh-5678");
    logger.warn("keys abcd-1234-efgh-5678 and abcd-1234");
    await flushLogs();
    assert.deepEqual(fake.argv(), [["juju-log", "--log-level", "WARNING", "--", "keys *** and ***"]]);
  });

  it("a failing juju-log does not throw; the record goes to stderr, redacted", async () => {
    fake.reset();
    fake.respond("juju-log", jujuError("connection refused", 1));
    registerSecret("pw-0987654321");
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
    try {
      logger.error("login with pw-0987654321 failed");
      await flushLogs();
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(written, ["could not forward a log record (juju-log failed (exit 1): connection refused); ERROR: login with *** failed\n"]);
  });
});

describe("logMessages", () => {
  it("splits a message longer than 131071 characters", () => {
    const long = "a".repeat(MAX_LOG_MESSAGE) + "b".repeat(10);
    const messages = logMessages([{ level: "INFO", message: long }]);
    assert.deepEqual(messages.map((message) => message.message.length), [MAX_LOG_MESSAGE, 10]);
    assert.equal(messages[1]!.message, "b".repeat(10));
  });

  it("never joins records, even short ones of one level", () => {
    assert.deepEqual(logMessages([{ level: "INFO", message: "12345" }, { level: "INFO", message: "678" }], 10), [
      { level: "INFO", message: "12345" }, { level: "INFO", message: "678" },
    ]);
  });

  it("keeps empty messages", () => {
    assert.deepEqual(logMessages([{ level: "DEBUG", message: "" }]), [{ level: "DEBUG", message: "" }]);
  });

  it("formats a record without a message", () => {
    assert.equal(formatLogRecord({ level: 30, count: 2 }), "{\"count\":2}");
  });
});
