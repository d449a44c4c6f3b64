// Provider data is validated, never trusted: each malformed value the fault matrix found reaching a hook
// tool or the app is now `Invalid <relation> relation data.` with the field named in the reason, and no
// secret-get is asked for an id that is not a secret URI.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secretIdsToRead } from "../../../src/paas/integrations/index.ts";
import { MAX_ENV_ENTRY_BYTES, endpointsProblem, envProblem, hostPortProblem, isSecretUri, uriProblem } from "../../../src/paas/integrations/providerData.ts";
import { FLASK_ENDPOINTS, evaluate, relationFrom } from "./support.ts";

const SECRET_USER = "secret://4f5e6d7c-8b9a-4f1e-9d2c-3b4a5c6d7e8f/d1000000000000000001";
const HUGE = "x".repeat(1024 * 1024);

/** The recorded postgresql-k8s relation with app-bag fields replaced and the user secret's content edited. */
function postgresql(app: Record<string, string | undefined>, secret: Record<string, string | undefined> = {}) {
  const { relation, secrets } = relationFrom("postgresql_client");
  const remoteAppData = { ...relation.remoteAppData };
  for (const [key, value] of Object.entries(app)) if (value === undefined) delete remoteAppData[key]; else remoteAppData[key] = value;
  const user = { ...secrets[SECRET_USER] } as Record<string, string>;
  for (const [key, value] of Object.entries(secret)) if (value === undefined) delete user[key]; else user[key] = value;
  return { relation: { ...relation, remoteAppData }, secrets: { ...secrets, [SECRET_USER]: user } };
}

describe("postgresql provider data (the fault matrix's cases)", () => {
  const withoutSecret = { "secret-user": undefined, username: "u", password: "p" };
  const cases: Array<[string, ReturnType<typeof postgresql>, string, RegExp]> = [
    ["secret-user garbage", postgresql({ "secret-user": "garbage" }), "Invalid postgresql relation data.", /secret-user is not a Juju secret URI/],
    ["secret-user secret://", postgresql({ "secret-user": "secret://" }), "Invalid postgresql relation data.", /secret-user is not a Juju secret URI/],
    ["endpoints port notaport", postgresql({ ...withoutSecret, endpoints: "db:notaport" }), "Invalid postgresql relation data.", /endpoints has a port that is not a number/],
    ["endpoints port 99999", postgresql({ ...withoutSecret, endpoints: "db:99999" }), "Invalid postgresql relation data.", /endpoints has port 99999, outside 1-65535/],
    ["endpoints port 0", postgresql({ ...withoutSecret, endpoints: "db:0" }), "Invalid postgresql relation data.", /outside 1-65535/],
    ["endpoints without a host", postgresql({ ...withoutSecret, endpoints: ":5432" }), "Invalid postgresql relation data.", /endpoints has no usable host/],
    ["uris not a url", postgresql({}, { uris: "not a url" }), "Invalid postgresql relation data.", /uris is not a URL with a scheme and a host/],
    ["uris with port 99999", postgresql({}, { uris: "postgresql://u:p@db:99999/x" }), "Invalid postgresql relation data.", /uris has port 99999/],
    ["uris with an unclosed IPv6 host", postgresql({}, { uris: "postgresql://u:p@[::1/x" }), "Invalid postgresql relation data.", /uris is not a URL \(Invalid IPv6 URL\)/],
    ["username with a newline", postgresql({ ...withoutSecret, username: "bad\nuser", endpoints: "db:5432" }), "Invalid postgresql relation data.", /username contains a control character/],
    ["database with a NUL", postgresql({ ...withoutSecret, database: "d\u0000b", endpoints: "db:5432" }), "Invalid postgresql relation data.", /database contains a control character/],
    ["a 1 MiB uris", postgresql({}, { uris: `postgresql://u:p@db:5432/${HUGE}` }), "Invalid postgresql relation data: uris is too large for the app's environment.", /uris is too large/],
    ["a 1 MiB password", postgresql({ ...withoutSecret, password: HUGE, endpoints: "db:5432" }), "Invalid postgresql relation data: password is too large for the app's environment.", /password is too large/],
  ];
  for (const [name, { relation, secrets }, message, reason] of cases) {
    it(`${name}: ${message}, nothing reaches the app`, () => {
      const result = evaluate([relation], secrets);
      assert.equal(result.blocked, message);
      const problem = result.problems.find((item) => item.integration === "postgresql");
      assert.match(problem?.reason ?? "", reason);
      assert.ok(!result.env.some((fragment) => Object.keys(fragment).some((key) => key.startsWith("POSTGRESQL_"))));
      assert.ok(!reason.test(HUGE) && !(problem?.reason ?? "").includes("xxxxxxxx"), "the reason never quotes the value");
    });
  }

  it("the recorded data is still ready (IPv6 and multi-host endpoints too)", () => {
    const { relation, secrets } = postgresql({});
    assert.equal(evaluate([relation], secrets).blocked, undefined);
    assert.equal(hostPortProblem("endpoints", "[::1]:5432"), undefined);
    assert.equal(endpointsProblem("endpoints", "a:5432,b:5433"), undefined);
    assert.equal(uriProblem("uris", "mongodb://u:p@h1:27017,h2:27017/db?replicaSet=rs0"), undefined);
  });

  it("secret-get is never asked for an id that is not a secret URI", () => {
    const { relation } = postgresql({ "secret-user": "garbage" });
    assert.deepEqual(secretIdsToRead(FLASK_ENDPOINTS, [relation]), []);
    assert.deepEqual(secretIdsToRead(FLASK_ENDPOINTS, [postgresql({}).relation]), [SECRET_USER]);
  });
});

describe("secret URIs (Juju core/secrets ParseURI)", () => {
  const cases: Array<[string, boolean]> = [
    ["secret:d1000000000000000001", true], [SECRET_USER, true], ["d1000000000000000001", true],
    ["garbage", false], ["secret://", false], ["secret:", false], ["secret:D1000000000000000001", false], ["secret:d100000000000000000", false], ["secret://model/d1000000000000000001", false],
  ];
  for (const [text, expected] of cases) it(`${JSON.stringify(text)} is ${expected ? "" : "not "}a secret URI`, () => assert.equal(isSecretUri(text), expected));
});

describe("env fragments from any integration", () => {
  it("a control character names the variable; a value longer than execve takes is oversized", () => {
    assert.deepEqual(envProblem({ REDIS_DB_CONNECT_STRING: "redis://a\n" }), { variable: "REDIS_DB_CONNECT_STRING", reason: "REDIS_DB_CONNECT_STRING would contain a control character", oversized: false });
    assert.equal(envProblem({ A: "x".repeat(MAX_ENV_ENTRY_BYTES - 2) })?.oversized, true);
    assert.equal(envProblem({ A: "x".repeat(MAX_ENV_ENTRY_BYTES - 3) }), undefined);
  });
});
