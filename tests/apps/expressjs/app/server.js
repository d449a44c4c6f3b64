// ExpressJS test app: listens on PORT, echoes its environment on /env.
const express = require("express");

const app = express();
const port = Number(process.env.PORT ?? 8080);

app.get("/", (req, res) => res.type("text/plain").send("expressjs test app\n"));
app.get("/env", (req, res) => res.json(process.env));

app.listen(port, () => console.log(`expressjs-app listening on port ${port}`));
process.on("SIGTERM", () => process.exit(0));
