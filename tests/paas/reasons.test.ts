// The reasons the charm logs beside a non-active status: each names its option or integration once.
import assert from "node:assert/strict";
import { it } from "node:test";
import { decideWorkload } from "../../src/paas/index.ts";
import { planInput } from "./support.ts";

it("an integration's reason is logged with its name once, an option's with its name once", () => {
  const result = decideWorkload(planInput("expressjs", {
    declarations: { "app-port": { type: "int", default: 8080 } },
    config: { "app-port": 0 },
    integrations: {
      env: [], missing: ["postgresql"], ready: [],
      problems: [{ integration: "postgresql", reason: "postgresql: waiting for the provider to publish uris, or endpoints with username and password" }],
    },
  }));
  assert.equal(result.status.status, "blocked");
  assert.deepEqual(result.reasons, [
    "app-port: must be a port number from 1 to 65535",
    "postgresql: waiting for the provider to publish uris, or endpoints with username and password",
  ]);
});
