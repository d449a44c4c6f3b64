// The six frameworks, by the name paas-config.yaml's `framework` key uses.
import { django } from "./django.ts";
import { expressjs } from "./expressjs.ts";
import { fastapi } from "./fastapi.ts";
import { flask } from "./flask.ts";
import type { Framework, FrameworkName } from "./framework.ts";
import { go } from "./go.ts";
import { springBoot } from "./springboot.ts";

export * from "./framework.ts";

export const FRAMEWORKS: Readonly<Record<FrameworkName, Framework>> = {
  flask, django, fastapi, go, expressjs, "spring-boot": springBoot,
};

export const FRAMEWORK_NAMES = Object.keys(FRAMEWORKS) as FrameworkName[];

export function isFrameworkName(name: unknown): name is FrameworkName {
  return typeof name === "string" && Object.hasOwn(FRAMEWORKS, name);
}
