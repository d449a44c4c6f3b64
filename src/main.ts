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

async function main(): Promise<number> {
  const context = readJujuContext(process.env);
  const meta = await loadCharmMeta(context.charmDir);
  if (!handled(parseEvent(context, meta))) return 0;
  const [{ Juju }, { handleEvent }] = await Promise.all([import("./juju/juju.ts"), import("./charm.ts")]);
  return handleEvent(new Juju(context, meta));
}

main()
  .catch(async (error: unknown) => {
    const { logger } = await import("./juju/log.ts");
    logger.error({ err: error }, "Uncaught exception while in charm code");
    if (process.env.JUJU_ACTION_NAME) process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  })
  .then(async (code) => {
    const { flushLogs } = await import("./juju/log.ts");
    await flushLogs();
    process.exit(code);
  });
