// The charm binary's entry point, run by `dispatch` for every Juju event: read the hook context and the
// charm's metadata, parse the event, hand it to the charm, and exit with the code Juju should see.
// An event the charm does not handle exits 0 at once, as ops does (it matters for rollbacks), before the
// charm's heavier modules (Pebble client, logger) are even loaded: cold start is paid on every event.
import { readJujuContext } from "./juju/context.ts";
import { parseEvent, type JujuEvent } from "./juju/event.ts";
import { loadCharmMeta } from "./juju/metadata.ts";

/** Events after which there is nothing to converge: the unit is going away, or the event is obsolete. */
const IGNORED_HOOKS = new Set(["stop", "remove", "collect-metrics", "pre-series-upgrade", "post-series-upgrade"]);

function handled(event: JujuEvent): boolean {
  if (event.kind === "unknown" || event.kind === "storage") return false;
  return !(event.kind === "lifecycle" && IGNORED_HOOKS.has(event.hook));
}

/**
 * Node's FormData, Headers, Request and Response globals load undici (~50 ms of CPU and 10 MB) the first
 * time anything reads them, and axios reads them as it loads. The charm never uses them: it reaches
 * Pebble through axios's http adapter over a Unix socket. So they are gone before the charm's modules load.
 */
function dropUndiciGlobals(): void {
  for (const name of ["FormData", "Headers", "Request", "Response"]) delete (globalThis as Record<string, unknown>)[name];
}

/** Set once the logger is loaded: a no-op event never loads it, so it has no records to forward. */
let flushLogs: (() => Promise<void>) | undefined;

async function main(): Promise<number> {
  const context = readJujuContext(process.env);
  const meta = await loadCharmMeta(context.charmDir);
  const event = parseEvent(context, meta);
  if (!handled(event)) return 0;
  dropUndiciGlobals();
  const [{ Juju }, { handleEvent }, { PebbleClient, socketPathFor }, log] = await Promise.all([
    import("./juju/juju.ts"), import("./charm.ts"), import("../pebble/client.ts"), import("./juju/log.ts"),
  ]);
  flushLogs = log.flushLogs;
  return handleEvent(new Juju(context, meta, event), { pebble: (container) => new PebbleClient({ socketPath: socketPathFor(container) }) });
}

main()
  .catch(async (error: unknown) => {
    const log = await import("./juju/log.ts");
    flushLogs = log.flushLogs;
    log.logger.error({ err: error }, "Uncaught exception while in charm code");
    if (process.env.JUJU_ACTION_NAME) process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  })
  .then(async (code) => {
    await flushLogs?.();
    process.exit(code);
  });
