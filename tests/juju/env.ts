// The hook environment tests start from.

/** The variables Juju always exports (docs/juju-contract.md §1.3), as a sidecar unit sees them. */
export function baseEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    JUJU_DISPATCH_PATH: "hooks/install",
    JUJU_HOOK_NAME: "install",
    JUJU_UNIT_NAME: "flask-app/2",
    JUJU_MODEL_NAME: "prod",
    JUJU_MODEL_UUID: "0f2c8b1e-1111-4222-8333-444455556666",
    JUJU_CHARM_DIR: "/var/lib/juju/agents/unit-flask-app-2/charm",
    CHARM_DIR: "/var/lib/juju/agents/unit-flask-app-2/charm",
    JUJU_VERSION: "3.6.8",
    JUJU_CONTEXT_ID: "flask-app/2-install-123",
    JUJU_MACHINE_ID: "",
    JUJU_PRINCIPAL_UNIT: "",
    JUJU_AVAILABILITY_ZONE: "",
    JUJU_CHARM_HTTP_PROXY: "",
    JUJU_CHARM_HTTPS_PROXY: "",
    JUJU_CHARM_FTP_PROXY: "",
    JUJU_CHARM_NO_PROXY: "",
    ...overrides,
  };
}
