// The session cookie: a base64url JSON payload and an HMAC-SHA256 of it keyed by APP_SECRET_KEY.
// Rotating the key (the charm's rotate-secret-key action) therefore logs every user out.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "session";

export function signSession(session, secretKey) {
  const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
  return `${payload}.${signature(payload, secretKey)}`;
}

/** The session in a cookie value, or null when it is malformed or was signed with another key. */
export function verifySession(value, secretKey) {
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), "base64url");
  const expected = Buffer.from(signature(payload, secretKey), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

export function readCookie(header, name) {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function signature(payload, secretKey) {
  return createHmac("sha256", secretKey).update(payload).digest("base64url");
}
