// The HTTP routes. Every setting comes from the environment the charm puts on the Pebble service.
import express from "express";
import { addNote, listNotes } from "./db.js";
import { METRICS_CONTENT_TYPE } from "./metrics.js";
import { SESSION_COOKIE, readCookie, signSession, verifySession } from "./session.js";

export function createApp({ pool, secretKey, metrics, metricsPath }) {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json());
  app.use((req, res, next) => {
    const started = Date.now();
    res.on("finish", () => {
      metrics.countRequest(req.method, res.statusCode);
      console.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${Date.now() - started}ms`);
    });
    next();
  });

  // What the charm configured, minus secrets: lets an operator see the URL and mode the app runs with.
  app.get("/", (req, res) => {
    res.json({ app: "example-app", status: "ok", baseUrl: process.env.APP_BASE_URL ?? null, nodeEnv: process.env.NODE_ENV ?? null });
  });

  app.get("/notes", async (req, res, next) => {
    if (!requireDatabase(pool, res)) return;
    try {
      res.json(await listNotes(pool));
    } catch (error) {
      next(error);
    }
  });

  app.post("/notes", async (req, res, next) => {
    if (!requireDatabase(pool, res)) return;
    const text = req.body?.text;
    if (typeof text !== "string" || text.trim() === "") {
      res.status(400).json({ error: 'send a JSON body {"text": "<non-empty string>"}' });
      return;
    }
    try {
      const note = await addNote(pool, text);
      metrics.countNoteCreated();
      res.status(201).json(note);
    } catch (error) {
      next(error);
    }
  });

  app.get("/login", (req, res) => {
    if (!requireSecretKey(secretKey, res)) return;
    const user = req.query.user;
    if (typeof user !== "string" || user === "") {
      res.status(400).json({ error: "name the user: GET /login?user=<name>" });
      return;
    }
    res.cookie(SESSION_COOKIE, signSession({ user }, secretKey), { httpOnly: true, sameSite: "lax", path: "/" });
    res.json({ user });
  });

  app.get("/me", (req, res) => {
    if (!requireSecretKey(secretKey, res)) return;
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = cookie === undefined ? null : verifySession(cookie, secretKey);
    if (session === null) {
      res.status(401).json({ error: "not logged in: the session cookie is missing or was not signed with the current key" });
      return;
    }
    res.json({ user: session.user });
  });

  app.get(metricsPath, metricsHandler(metrics));

  app.use((error, req, res, next) => {
    console.error(`${req.method} ${req.originalUrl} failed: ${error.message}`);
    res.status(500).json({ error: "internal error, see the app's log" });
  });
  return app;
}

export function metricsHandler(metrics) {
  return (req, res) => {
    res.type(METRICS_CONTENT_TYPE).send(metrics.render());
  };
}

function requireDatabase(pool, res) {
  if (pool) return true;
  res.status(503).json({ error: "no database: relate the app to PostgreSQL (POSTGRESQL_DB_CONNECT_STRING is not set)" });
  return false;
}

function requireSecretKey(secretKey, res) {
  if (secretKey) return true;
  res.status(503).json({ error: "sessions are disabled: APP_SECRET_KEY is not set" });
  return false;
}
