// Python's urllib.parse.urlparse (3.12), reproduced because paas-charm derives every
// `<X>_SCHEME`/`_NETLOC`/... variable from it and its results differ from WHATWG `URL`
// (no normalisation, userinfo split at the *last* `@`, params only for some schemes).
import { isIPv4, isIPv6 } from "node:net";

export interface PyParsedUrl {
  scheme: string;
  netloc: string;
  path: string;
  params: string;
  query: string;
  fragment: string;
  /** `undefined` where Python returns None. */
  username: string | undefined;
  password: string | undefined;
  hostname: string | undefined;
  /** The raw port text after the host, `undefined` when absent; see `portNumber`. */
  portText: string | undefined;
}

/** Thrown where Python's urlsplit raises ValueError; callers turn it into a status. */
export class PyUrlError extends Error {}

const SCHEME_CHARS = /^[A-Za-z0-9+.-]*$/;
const USES_PARAMS = new Set(["", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu", "sip", "sips", "mms", "sftp", "tel"]);

function stripLeadingC0OrSpace(text: string): string {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  return text.slice(i);
}

function splitNetloc(rest: string): [string, string] {
  let delim = rest.length;
  for (const c of "/?#") {
    const at = rest.indexOf(c, 2);
    if (at >= 0) delim = Math.min(delim, at);
  }
  return [rest.slice(2, delim), rest.slice(delim)];
}

function checkBracketedNetloc(netloc: string): void {
  const hostAndPort = netloc.slice(netloc.lastIndexOf("@") + 1);
  const open = hostAndPort.indexOf("[");
  let hostname: string;
  if (open >= 0) {
    if (open > 0) throw new PyUrlError("Invalid IPv6 URL");
    const bracketed = hostAndPort.slice(open + 1);
    const close = bracketed.indexOf("]");
    hostname = close >= 0 ? bracketed.slice(0, close) : bracketed;
    const after = close >= 0 ? bracketed.slice(close + 1) : "";
    if (after && !after.startsWith(":")) throw new PyUrlError("Invalid IPv6 URL");
  } else {
    const colon = hostAndPort.indexOf(":");
    hostname = colon >= 0 ? hostAndPort.slice(0, colon) : hostAndPort;
  }
  if (hostname.startsWith("v")) {
    if (!/^v[a-fA-F0-9]+\..+$/s.test(hostname)) throw new PyUrlError("IPvFuture address is invalid");
  } else if (!isIPv6(hostname)) {
    throw new PyUrlError(isIPv4(hostname) ? "An IPv4 address cannot be in brackets" : "Invalid IPv6 URL");
  }
}

function checkNetlocNfkc(netloc: string): void {
  // Only non-ASCII netlocs can change under NFKC into URL delimiters.
  if (!/[^\x00-\x7f]/.test(netloc)) return;
  const n = netloc.replace(/[@:#?]/g, "");
  const normalised = n.normalize("NFKC");
  if (n === normalised) return;
  if (/[/?#@:]/.test(normalised)) throw new PyUrlError("netloc contains invalid characters under NFKC normalization");
}

export function pyUrlparse(input: string): PyParsedUrl {
  let url = stripLeadingC0OrSpace(input.replace(/[\t\r\n]/g, ""));
  let scheme = "";
  const colon = url.indexOf(":");
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  let netloc = "";
  if (url.startsWith("//")) {
    [netloc, url] = splitNetloc(url);
    const hasOpen = netloc.includes("[");
    const hasClose = netloc.includes("]");
    if (hasOpen !== hasClose) throw new PyUrlError("Invalid IPv6 URL");
    if (hasOpen && hasClose) checkBracketedNetloc(netloc);
  }
  let fragment = "";
  const hash = url.indexOf("#");
  if (hash >= 0) [url, fragment] = [url.slice(0, hash), url.slice(hash + 1)];
  let query = "";
  const question = url.indexOf("?");
  if (question >= 0) [url, query] = [url.slice(0, question), url.slice(question + 1)];
  checkNetlocNfkc(netloc);

  let params = "";
  if (USES_PARAMS.has(scheme) && url.includes(";")) {
    const semicolon = url.includes("/") ? url.indexOf(";", url.lastIndexOf("/")) : url.indexOf(";");
    if (semicolon >= 0) [url, params] = [url.slice(0, semicolon), url.slice(semicolon + 1)];
  }

  const at = netloc.lastIndexOf("@");
  let username: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const userinfo = netloc.slice(0, at);
    const sep = userinfo.indexOf(":");
    username = sep >= 0 ? userinfo.slice(0, sep) : userinfo;
    password = sep >= 0 ? userinfo.slice(sep + 1) : undefined;
  }
  const hostinfo = netloc.slice(at + 1);
  let host: string;
  let portText: string;
  const open = hostinfo.indexOf("[");
  if (open >= 0) {
    const bracketed = hostinfo.slice(open + 1);
    const close = bracketed.indexOf("]");
    host = close >= 0 ? bracketed.slice(0, close) : bracketed;
    const after = close >= 0 ? bracketed.slice(close + 1) : "";
    const portColon = after.indexOf(":");
    portText = portColon >= 0 ? after.slice(portColon + 1) : "";
  } else {
    const portColon = hostinfo.indexOf(":");
    host = portColon >= 0 ? hostinfo.slice(0, portColon) : hostinfo;
    portText = portColon >= 0 ? hostinfo.slice(portColon + 1) : "";
  }
  let hostname: string | undefined;
  if (host) {
    // A scoped IPv6 zone keeps its case, as in Python.
    const zone = host.indexOf("%");
    hostname = zone >= 0 ? host.slice(0, zone).toLowerCase() + host.slice(zone) : host.toLowerCase();
  }
  return { scheme, netloc, path: url, params, query, fragment, username, password, hostname, portText: portText || undefined };
}

/**
 * The port as Python's `.port` gives it, or `undefined` when absent or unusable. Python raises
 * for a non-numeric or out-of-range port; multi-host URIs (`h1:27017,h2:27017`) hit that, so
 * the variable is left out instead of failing the whole integration.
 */
export function portNumber(parsed: PyParsedUrl): number | undefined {
  const text = parsed.portText;
  if (text === undefined || !/^[0-9]+$/.test(text)) return undefined;
  const port = Number.parseInt(text, 10);
  return port <= 65535 ? port : undefined;
}

/** Python's urllib.parse.unquote: invalid escapes stay as they are, bytes decode as UTF-8 with replacement. */
export function pyUnquote(text: string): string {
  if (!text.includes("%")) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  });
}

/** Python's urllib.parse.quote(text, safe=""). */
export function pyQuoteAll(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * `<prefix>_CONNECT_STRING` and the urlparse components (paas-charm `_url_env_vars`); Python
 * None components are left out, empty strings are kept. Throws PyUrlError for URLs Python rejects.
 */
export function urlEnv(prefix: string, url: string): Record<string, string> {
  if (!url) return {};
  const parsed = pyUrlparse(url);
  const env: Record<string, string> = {
    [`${prefix}_CONNECT_STRING`]: url,
    [`${prefix}_SCHEME`]: parsed.scheme,
    [`${prefix}_NETLOC`]: parsed.netloc,
    [`${prefix}_PATH`]: parsed.path,
    [`${prefix}_PARAMS`]: parsed.params,
    [`${prefix}_QUERY`]: parsed.query,
    [`${prefix}_FRAGMENT`]: parsed.fragment,
  };
  if (parsed.username !== undefined) env[`${prefix}_USERNAME`] = parsed.username;
  if (parsed.password !== undefined) env[`${prefix}_PASSWORD`] = parsed.password;
  if (parsed.hostname !== undefined) env[`${prefix}_HOSTNAME`] = parsed.hostname;
  const port = portNumber(parsed);
  if (port !== undefined) env[`${prefix}_PORT`] = String(port);
  return env;
}

/** Database-style variables: `urlEnv(<X>_DB)` plus `_NAME`, the path minus one leading `/`, when the path is non-empty. */
export function dbUrlEnv(name: string, url: string): Record<string, string> {
  const prefix = `${name}_DB`;
  const env = urlEnv(prefix, url);
  const path = env[`${prefix}_PATH`];
  if (path) env[`${prefix}_NAME`] = path.startsWith("/") ? path.slice(1) : path;
  return env;
}

/** `str(pydantic.AnyUrl(url))`: pydantic-core uses a WHATWG parser, so `URL.href` matches it. */
export function normaliseUrl(url: string, httpOnly = false): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (httpOnly && parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  if (!parsed.host && (parsed.protocol === "http:" || parsed.protocol === "https:")) return undefined;
  return parsed.href;
}
