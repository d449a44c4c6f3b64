// The parts of a rockcraft project a stand-in needs: rockcraft.yaml's name, summary and description, and
// the whole file for a rock without a framework extension (plain.ts).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { FRAMEWORKS, type Framework } from "./types.ts";

export interface RockcraftProject {
  dir: string;
  name: string;
  summary: string;
  description: string;
  /** rockcraft.yaml as parsed. */
  yaml: Record<string, unknown>;
}

/** The project in `dir`; with a `framework`, it must use that framework's extension. */
export async function readProject(dir: string, framework?: Framework): Promise<RockcraftProject> {
  const path = join(dir, "rockcraft.yaml");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new Error(`${path} is missing: a rock is built from a rockcraft project (rockcraft.yaml beside the app)`);
  }
  const data = (parse(text) ?? {}) as Record<string, unknown>;
  const name = data["name"];
  if (typeof name !== "string" || name === "") throw new Error(`${path} has no name: set \`name:\` to the rock's name`);
  const extensions = Array.isArray(data["extensions"]) ? data["extensions"] : [];
  if (framework && !extensions.includes(`${framework}-framework`)) {
    throw new Error(`${path} does not use the ${framework}-framework extension: add it under \`extensions:\``);
  }
  return {
    dir,
    name,
    summary: typeof data["summary"] === "string" ? data["summary"] : "",
    description: typeof data["description"] === "string" ? data["description"].trimEnd() : "",
    yaml: data,
  };
}

/** The framework a rockcraft project builds, from its `<framework>-framework` extension (as rockcraft reads it); undefined without one. */
export function projectFramework(dir: string): Framework | undefined {
  const path = join(dir, "rockcraft.yaml");
  const data = (parse(readFileSync(path, "utf8")) ?? {}) as Record<string, unknown>;
  const extensions = Array.isArray(data["extensions"]) ? data["extensions"] : [];
  const found = FRAMEWORKS.filter((framework) => extensions.includes(`${framework}-framework`));
  if (found.length > 1) throw new Error(`${path} uses ${found.map((f) => `${f}-framework`).join(" and ")}: a rock takes one framework extension`);
  return found[0];
}
