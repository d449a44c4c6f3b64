// saml (saml_integrator.v0.saml SamlRequires): the requirer writes nothing.
import { field } from "./databag.ts";
import { normaliseUrl } from "./pyUrl.ts";
import { invalid, waiting, type Integration } from "./types.ts";

const SPRING_PREFIX = "spring.security.saml2.relyingparty.registration.testentity";

/** Where the Spring Boot charm writes the IdP signing certificate in the workload. */
export const SPRING_BOOT_SAML_CERT_PATH = "/app/saml.cert";

/** The certificate as PEM (the integrator publishes bare base64 bodies). */
export function samlCertificatePem(certificate: string): string {
  return certificate.startsWith("-----BEGIN CERTIFICATE-----")
    ? certificate
    : `-----BEGIN CERTIFICATE-----\n${certificate}\n-----END CERTIFICATE-----`;
}

export interface SamlData {
  entityId: string;
  metadataUrl?: string;
  singleSignOnRedirectUrl?: string;
  signingCertificate: string;
}

export function readSaml(bag: Record<string, string>): SamlData | { problem: "empty" | string } {
  if (Object.keys(bag).length === 0) return { problem: "empty" };
  const entityId = field(bag, "entity_id");
  if (entityId === undefined) return { problem: "saml: the provider data lacks entity_id" };
  const certificates = (field(bag, "x509certs") ?? "").split(",").filter((cert) => cert.trim() !== "");
  const signingCertificate = certificates[0];
  if (signingCertificate === undefined) return { problem: "saml: the provider data holds no x509 certificate" };
  const data: SamlData = { entityId, signingCertificate };
  const metadataUrl = field(bag, "metadata_url");
  if (metadataUrl !== undefined) {
    const normalised = normaliseUrl(metadataUrl, true);
    if (normalised === undefined) return { problem: "saml: metadata_url is not a valid http(s) URL" };
    data.metadataUrl = normalised;
  }
  const redirectUrl = field(bag, "single_sign_on_service_redirect_url");
  const redirectBinding = field(bag, "single_sign_on_service_redirect_binding") ?? "";
  if (redirectUrl !== undefined && redirectBinding.toLowerCase().includes("redirect")) {
    const normalised = normaliseUrl(redirectUrl, true);
    if (normalised === undefined) return { problem: "saml: the single sign-on redirect URL is not a valid http(s) URL" };
    data.singleSignOnRedirectUrl = normalised;
  }
  return data;
}

export const samlIntegration: Integration = {
  name: "saml",
  rerunsMigrations: true,
  secretIds: () => [],
  evaluate(relation, _secrets, ctx) {
    const data = readSaml(relation.remoteAppData);
    if ("problem" in data) {
      return data.problem === "empty" ? waiting("saml: waiting for the provider to publish IdP data") : invalid("saml", data.problem);
    }
    if (ctx.framework === "spring-boot") {
      const env: Record<string, string> = { [`${SPRING_PREFIX}.entity-id`]: data.entityId };
      if (data.metadataUrl) env[`${SPRING_PREFIX}.assertingparty.metadata-uri`] = data.metadataUrl;
      if (data.singleSignOnRedirectUrl) env[`${SPRING_PREFIX}.assertingparty.singlesignin.url`] = data.singleSignOnRedirectUrl;
      env[`${SPRING_PREFIX}.assertingparty.verification.credentials[0].certificate-location`] = `file:${SPRING_BOOT_SAML_CERT_PATH}`;
      return { state: "ready", env };
    }
    const env: Record<string, string> = { SAML_ENTITY_ID: data.entityId };
    if (data.metadataUrl) env.SAML_METADATA_URL = data.metadataUrl;
    if (data.singleSignOnRedirectUrl) env.SAML_SINGLE_SIGN_ON_REDIRECT_URL = data.singleSignOnRedirectUrl;
    env.SAML_SIGNING_CERTIFICATE = data.signingCertificate;
    return { state: "ready", env };
  },
};
