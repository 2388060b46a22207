// Loads the Node.js build of the package (bindings/wasm/pkg/node, made by build.sh).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../../..");
/** @type {typeof import("../pkg/node/jianfu.js")} */
export const jianfu = require("../pkg/node/jianfu.js");
