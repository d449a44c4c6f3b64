// What the charm logs of a failed command: the first error lines (the cause) and the last lines (the end).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commandOutputExcerpt } from "../../src/commandOutput.ts";

describe("commandOutputExcerpt", () => {
  it("keeps short output whole", () => {
    assert.equal(commandOutputExcerpt("one\ntwo\n\n"), "one\ntwo");
  });

  it("keeps a migration's first error line although 40 lines of traceback follow it", () => {
    const output = [
      "Running migrations:",
      "psql:migrate.sql:3: ERROR:  permission denied for schema public",
      ...Array.from({ length: 40 }, (_, i) => `  frame ${i}`),
      "migrate.sh: exited with 3",
    ].join("\n");
    const excerpt = commandOutputExcerpt(output);
    const lines = excerpt.split("\n");
    assert.equal(lines[0], "[… 1 lines left out …]");
    assert.equal(lines[1], "psql:migrate.sql:3: ERROR:  permission denied for schema public");
    assert.equal(lines[2], "[… 31 lines left out …]");
    assert.deepEqual(lines.slice(3), [...Array.from({ length: 9 }, (_, i) => `  frame ${31 + i}`), "migrate.sh: exited with 3"]);
  });

  it("keeps at most five error lines, in their order, and never repeats a tail line", () => {
    const output = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `error ${i}` : `info ${i}`)).join("\n");
    const lines = commandOutputExcerpt(output, { errorLines: 2, tailLines: 3 }).split("\n");
    assert.deepEqual(lines, ["error 0", "[… 1 lines left out …]", "error 2", "[… 24 lines left out …]", "info 27", "error 28", "info 29"]);
  });
});
