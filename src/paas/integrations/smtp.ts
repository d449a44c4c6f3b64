// smtp (smtp_integrator.v0.smtp SmtpRequires): the requirer writes nothing; the password comes
// in clear (`smtp-legacy` endpoint) or through the `password_id` secret (`smtp` endpoint).
import { field } from "./databag.ts";
import { invalid, secretContent, waiting, type Integration } from "./types.ts";

const AUTH_TYPES = new Set(["none", "not_provided", "plain"]);
const TRANSPORT_SECURITIES = new Set(["none", "starttls", "tls"]);

export const smtpIntegration: Integration = {
  name: "smtp",
  rerunsMigrations: false,
  secretIds(relation) {
    const id = field(relation.remoteAppData, "password_id");
    return id === undefined ? [] : [id];
  },
  evaluate(relation, secrets, ctx) {
    const bag = relation.remoteAppData;
    if (Object.keys(bag).length === 0) return waiting("smtp: waiting for the provider to publish SMTP data");
    const host = field(bag, "host");
    const portText = field(bag, "port");
    if (host === undefined || portText === undefined) return invalid("smtp", "smtp: the provider data lacks host or port");
    if (!/^[0-9]{1,5}$/.test(portText.trim())) return invalid("smtp", "smtp: port is not a number");
    const port = String(Number.parseInt(portText.trim(), 10));
    const authType = field(bag, "auth_type");
    if (authType !== undefined && !AUTH_TYPES.has(authType)) return invalid("smtp", "smtp: auth_type is not one of none, not_provided, plain");
    const transportSecurity = field(bag, "transport_security");
    if (transportSecurity !== undefined && !TRANSPORT_SECURITIES.has(transportSecurity)) {
      return invalid("smtp", "smtp: transport_security is not one of none, starttls, tls");
    }
    const skipText = (field(bag, "skip_ssl_verify") ?? "False").toLowerCase();
    if (skipText !== "true" && skipText !== "false") return invalid("smtp", "smtp: skip_ssl_verify is not True or False");
    let password = field(bag, "password");
    const passwordId = field(bag, "password_id");
    if (passwordId !== undefined) {
      const content = secretContent(secrets, passwordId);
      if (content === undefined) return waiting("smtp: the provider's password secret is not readable yet");
      password = content.password || undefined;
    }
    const user = field(bag, "user");
    const domain = field(bag, "domain");

    if (ctx.framework === "spring-boot") {
      const env: Record<string, string> = { "spring.mail.host": host, "spring.mail.port": port };
      if (user !== undefined) env["spring.mail.username"] = domain === undefined ? user : `${user}@${domain}`;
      if (password !== undefined) env["spring.mail.password"] = password;
      if (authType !== undefined) env["spring.mail.properties.mail.smtp.auth"] = authType;
      env["spring.mail.properties.mail.smtp.starttls.enable"] = transportSecurity === "starttls" ? "true" : "false";
      return { state: "ready", env };
    }
    const candidates: Array<[string, string | undefined]> = [
      ["SMTP_HOST", host],
      ["SMTP_PORT", port],
      ["SMTP_USER", user],
      ["SMTP_PASSWORD", password],
      ["SMTP_AUTH_TYPE", authType],
      ["SMTP_TRANSPORT_SECURITY", transportSecurity],
      ["SMTP_DOMAIN", domain],
      ["SMTP_SKIP_SSL_VERIFY", skipText === "true" ? "True" : "False"],
    ];
    const env: Record<string, string> = {};
    // "none" means "not set" for the enum fields; only that exact value is dropped.
    for (const [key, value] of candidates) if (value !== undefined && value !== "none") env[key] = value;
    return { state: "ready", env };
  },
};
