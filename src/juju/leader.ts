// is-leader, cached like ops: Juju guarantees leadership for 30 s after it answered true.
import { runHookToolJson } from "./hookTool.ts";

const LEADERSHIP_VALIDITY_MS = 30_000;

/** `is-leader`, asked now (Juju.isLeader is the cached answer a charm uses). */
export async function askLeadership(): Promise<boolean> {
  return (await runHookToolJson<boolean>("is-leader", [])) === true;
}

/** One is-leader call per 30 s, however many times a dispatch asks. */
export class Leadership {
  #answer: { leader: boolean; at: number } | undefined;
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  async get(): Promise<boolean> {
    const now = this.#now();
    if (this.#answer && now - this.#answer.at < LEADERSHIP_VALIDITY_MS) return this.#answer.leader;
    const leader = await askLeadership();
    this.#answer = { leader, at: now };
    return leader;
  }
}
