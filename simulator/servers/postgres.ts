// A throwaway PostgreSQL server: initdb + pg_ctl as user postgres, in a temp dir, listening on a free
// loopback port (TCP, password auth) and on a Unix socket in that dir (trust, for setup). Tests start one
// each; the simulator's controller starts one per model to back its postgresql-k8s.
//
//   const postgres = await startPostgres();
//   after(() => postgres.stop());
//   const url = await postgres.createDatabase("notes");   // postgresql://notes:<password>@127.0.0.1:<port>/notes
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, chown, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

export interface PostgresServer {
  host: string;
  port: number;
  /** The server's major.minor version, e.g. "15.14". */
  version: string;
  /**
   * Creates (idempotently) database `name` owned by login role `user` (default: `name`) with `password`
   * (default: random; an existing role gets it too); returns its URL.
   */
  createDatabase(name: string, user?: string, password?: string): Promise<string>;
  /** Runs SQL as the superuser in `database` (on psql's stdin; an error rejects). */
  sql(database: string, statements: string): Promise<void>;
  /** Stops the server (fast shutdown), keeping its data: a database outage until `resume`. */
  pause(): Promise<void>;
  /** Starts the paused server again on the same port with the same data. */
  resume(): Promise<void>;
  /** Stops the server (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

/**
 * `host`: the address clients are told to use (default 127.0.0.1); the server listens on loopback and on
 * it, e.g. the simulator's service address that workload containers reach.
 */
export async function startPostgres(options: { host?: string } = {}): Promise<PostgresServer> {
  const host = options.host ?? HOST;
  const bin = await postgresBinDir();
  const account = await systemUser("postgres");
  const dir = await mkdtemp(join(tmpdir(), "postgres-"));
  await chown(dir, account.uid, account.gid);
  const asPostgres = (command: string, args: string[], stdin = "") => runAs(account, join(bin, command), args, dir, stdin);
  const data = join(dir, "data");
  const passwordFile = join(dir, "superuser-password");
  await writeFile(passwordFile, randomBytes(16).toString("hex"), { mode: 0o600 });
  await chown(passwordFile, account.uid, account.gid);

  try {
    await asPostgres("initdb", ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", `--pwfile=${passwordFile}`, "-E", "UTF8"]);
    // Clients on the service address come from workload containers' own addresses: password auth for any.
    if (host !== HOST) await appendFile(join(data, "pg_hba.conf"), "host all all 0.0.0.0/0 scram-sha-256\n");
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=${[...new Set([HOST, host])].join(",")} -c fsync=off -c full_page_writes=off`;
    const start = () => asPostgres("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "30", "start"]);
    await start();

    const psql = (sql: string, database = "postgres") => asPostgres("psql", ["-h", dir, "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-f", "-"], sql);
    return {
      host,
      port,
      version: await serverVersion(bin),
      async createDatabase(name, user = name, password = randomBytes(12).toString("hex")) {
        for (const [what, value] of [["database", name], ["role", user]]) {
          if (!/^[a-z_][a-z0-9_-]*$/.test(value!)) throw new Error(`${what} name "${value}" must be lower-case letters, digits, _ and -`);
        }
        if (!/^[A-Za-z0-9_-]+$/.test(password)) throw new Error("the password must be letters, digits, _ and -");
        // SQL on stdin, so the password never shows in a process list. CREATE DATABASE cannot run in a
        // DO block, hence \gexec to make it conditional.
        await psql(
          `SELECT format('CREATE ROLE %I LOGIN', '${user}') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}')\\gexec\n` +
            `ALTER ROLE "${user}" LOGIN PASSWORD '${password}';\n` +
            `SELECT format('CREATE DATABASE %I OWNER %I', '${name}', '${user}') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${name}')\\gexec\n`,
        );
        return `postgresql://${user}:${password}@${host}:${port}/${name}`;
      },
      async sql(database, statements) {
        await psql(statements, database);
      },
      async pause() {
        await asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      },
      async resume() {
        await start();
      },
      async stop() {
        await asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => {});
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const log = await readFile(join(dir, "server.log"), "utf8").catch(() => "");
    await asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}${log ? `\nserver log:\n${log.slice(-2000)}` : ""}`);
  }
}

/** "15.14" from `postgres --version` ("postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"). */
async function serverVersion(bin: string): Promise<string> {
  const output = await new Promise<string>((resolve, reject) =>
    execFile(join(bin, "postgres"), ["--version"], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  const version = /\) (\d+(?:\.\d+)?)/.exec(output)?.[1];
  if (!version) throw new Error(`cannot read the PostgreSQL version from "${output.trim()}"`);
  return version;
}

/** The major version of the PostgreSQL the simulator runs, e.g. "15". */
export async function postgresMajor(): Promise<string> {
  return basename(dirname(await postgresBinDir()));
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
async function postgresBinDir(): Promise<string> {
  const majors = (await readdir("/usr/lib/postgresql").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin): run scripts/setup.sh");
  return join("/usr/lib/postgresql", newest, "bin");
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile("/etc/passwd", "utf8")).split("\n").find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`user ${name} does not exist: install PostgreSQL (scripts/setup.sh)`);
  return { uid: Number(uid), gid: Number(gid) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function runAs(account: { uid: number; gid: number }, command: string, args: string[], cwd: string, stdin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      uid: account.uid,
      gid: account.gid,
      env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", HOME: cwd },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stdin.end(stdin);
    child.on("error", (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0] ?? ""}... exited with ${code}:\n${output.trim().slice(-2000)}`)),
    );
  });
}
