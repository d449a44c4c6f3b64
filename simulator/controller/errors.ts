// An error the CLI prints as juju does: `ERROR <message>` on stderr, exit code 1.
export class JujuError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JujuError";
  }
}

export function notFound(what: "application" | "unit" | "secret" | "relation" | "action", name: string): JujuError {
  return new JujuError(`${what} "${name}" not found (not found)`);
}
