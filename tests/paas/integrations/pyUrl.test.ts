import assert from "node:assert/strict";
import { test } from "node:test";
import { PyUrlError, dbUrlEnv, pyUnquote, pyUrlparse, urlEnv } from "../../../src/paas/integrations/pyUrl.ts";
import { POSTGRESQL_ENV } from "../support.ts";

// Expected values are what CPython 3.12's urllib.parse.urlparse returns.
const CASES: Array<[string, Partial<ReturnType<typeof pyUrlparse>>]> = [
  ["postgresql://u:p@ss@h:5432/db", { scheme: "postgresql", netloc: "u:p@ss@h:5432", username: "u", password: "p@ss", hostname: "h", portText: "5432", path: "/db" }],
  ["mysql://u:p:x@h/db", { username: "u", password: "p:x", hostname: "h", portText: undefined }],
  ["postgresql://user@[2001:DB8::1]:5432/db", { netloc: "user@[2001:DB8::1]:5432", hostname: "2001:db8::1", portText: "5432", password: undefined }],
  ["redis://[fe80::1%ETH0]:6379", { hostname: "fe80::1%ETH0", portText: "6379" }],
  ["MongoDB+SRV://U:P@Cluster0.Example.NET/?retryWrites=true&w=majority", { scheme: "mongodb+srv", netloc: "U:P@Cluster0.Example.NET", hostname: "cluster0.example.net", path: "/", query: "retryWrites=true&w=majority", username: "U" }],
  ["postgresql://netlocation.test", { netloc: "netlocation.test", path: "", username: undefined, hostname: "netlocation.test" }],
  ["mongodb://foobar/", { path: "/", hostname: "foobar" }],
  ["http://h/p;a=1?q#f", { path: "/p", params: "a=1", query: "q", fragment: "f" }],
  ["postgresql://h/p;a=1", { path: "/p;a=1", params: "" }],
  ["localhost:5432", { scheme: "localhost", path: "5432", netloc: "" }],
  ["1http://h", { scheme: "", path: "1http://h" }],
  ["  \tpostgresql://h\n:5/x", { scheme: "postgresql", hostname: "h", portText: "5", path: "/x" }],
  ["redis://@h:1", { username: "", password: undefined, hostname: "h" }],
  ["redis://u:p@:1", { hostname: undefined, portText: "1" }],
];

test("pyUrlparse matches CPython's urlparse", async (t) => {
  for (const [url, expected] of CASES) {
    await t.test(url, () => {
      const parsed = pyUrlparse(url);
      for (const [key, value] of Object.entries(expected)) assert.equal(parsed[key as keyof typeof parsed], value, `${key} of ${url}`);
    });
  }
});

test("pyUrlparse raises where CPython raises ValueError", () => {
  for (const url of ["postgresql://[::1/db", "postgresql://::1]/db", "postgresql://[10.0.0.1]/db", "postgresql://x[::1]/db", "postgresql://[::1]x/db", "postgresql://[vzz.1]/", "http://h\uFF03x@y/"]) {
    assert.throws(() => pyUrlparse(url), PyUrlError, url);
  }
});

test("dbUrlEnv: paas-charm's own PostgreSQL example (from its unit tests), all twelve variables", () => {
  assert.deepEqual(dbUrlEnv("POSTGRESQL", "postgresql://test-username:test-password@test-postgresql:5432/test-database"), POSTGRESQL_ENV);
});

test("dbUrlEnv: host only, `/`, mongodb+srv and query edge cases", () => {
  assert.deepEqual(dbUrlEnv("POSTGRESQL", "postgresql://netlocation.test"), {
    POSTGRESQL_DB_CONNECT_STRING: "postgresql://netlocation.test",
    POSTGRESQL_DB_SCHEME: "postgresql",
    POSTGRESQL_DB_NETLOC: "netlocation.test",
    POSTGRESQL_DB_PATH: "",
    POSTGRESQL_DB_PARAMS: "",
    POSTGRESQL_DB_QUERY: "",
    POSTGRESQL_DB_FRAGMENT: "",
    POSTGRESQL_DB_HOSTNAME: "netlocation.test",
  });
  const mongo = dbUrlEnv("MONGODB", "mongodb://foobar/");
  assert.equal(mongo.MONGODB_DB_PATH, "/");
  assert.equal(mongo.MONGODB_DB_NAME, "");
  assert.equal("MONGODB_DB_USERNAME" in mongo || "MONGODB_DB_PASSWORD" in mongo || "MONGODB_DB_PORT" in mongo, false);
  const srv = dbUrlEnv("MONGODB", "mongodb+srv://testinguser:testingpassword@cluster0.example.mongodb.net/?retryWrites=true&w=majority");
  assert.equal(srv.MONGODB_DB_SCHEME, "mongodb+srv");
  assert.equal(srv.MONGODB_DB_NAME, "");
  assert.equal(srv.MONGODB_DB_QUERY, "retryWrites=true&w=majority");
  assert.equal("MONGODB_DB_PORT" in srv, false);
  const query = dbUrlEnv("POSTGRESQL", "postgresql://testingusername:testingpassword@netlocation.test:5432/testingdbname?parameter=testparam");
  assert.equal(query.POSTGRESQL_DB_QUERY, "parameter=testparam");
  assert.equal(query.POSTGRESQL_DB_NAME, "testingdbname");
});

test("credentials are neither decoded nor encoded; the hostname is lower-cased", () => {
  const env = urlEnv("X", "postgresql://us%40er:p@ss@DB.Example:5432/d");
  assert.equal(env.X_USERNAME, "us%40er");
  assert.equal(env.X_PASSWORD, "p@ss");
  assert.equal(env.X_HOSTNAME, "db.example");
  assert.equal(env.X_NETLOC, "us%40er:p@ss@DB.Example:5432");
});

test("an unusable port is left out instead of failing (multi-host URIs)", () => {
  const env = dbUrlEnv("MONGODB", "mongodb://u:p@h0:27017,h1:27017/db?replicaSet=rs");
  assert.equal(env.MONGODB_DB_HOSTNAME, "h0");
  assert.equal("MONGODB_DB_PORT" in env, false);
  assert.equal(env.MONGODB_DB_NAME, "db");
  assert.equal("X_PORT" in urlEnv("X", "redis://h:99999"), false);
  assert.equal(urlEnv("X", "redis://h:0080").X_PORT, "80");
});

test("pyUnquote keeps invalid escapes and decodes UTF-8", () => {
  assert.equal(pyUnquote("%2F"), "/");
  assert.equal(pyUnquote("%zz%2"), "%zz%2");
  assert.equal(pyUnquote("caf%C3%A9"), "café");
});
