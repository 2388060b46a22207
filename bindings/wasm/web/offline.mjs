// Builds the single-file page (单文件版): pkg/offline/jianfu.html holds the page, its styles,
// the module's JS glue, the app and the WebAssembly module itself (base64), so it runs opened
// straight from disk (file://), where a browser refuses to load module scripts or fetch the
// .wasm file. Run by build.sh after wasm-bindgen; `node web/offline.mjs` rebuilds it alone.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, "..", "pkg");
const read = (p) => fs.readFileSync(p, "utf8");

let html = read(path.join(here, "index.html"));
const css = read(path.join(here, "style.css"));
const glue = read(path.join(pkg, "web", "jianfu.js"));
const app = read(path.join(here, "app.js"));
const wasm = fs.readFileSync(path.join(pkg, "web", "jianfu_bg.wasm")).toString("base64");

// The app imports the glue by path; here both are modules made from blob URLs at load time.
const importLine = /^import init, \{[^}]*\} from "\.\.\/pkg\/web\/jianfu\.js";$/m;
if (!importLine.test(app)) throw new Error("app.js no longer imports the glue as offline.mjs expects");
const json = (s) => JSON.stringify(s).replace(/<\//g, "<\\/");
const loader = `
const text = (id) => document.getElementById(id).textContent;
const blob = (code) => URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
const bytes = Uint8Array.from(atob(text("jianfu-wasm")), (c) => c.charCodeAt(0));
globalThis.JIANFU_WASM = bytes;
const glue = blob(JSON.parse(text("jianfu-glue")));
const app = JSON.parse(text("jianfu-app")).replace(${importLine.toString()}, (line) => line.replace("../pkg/web/jianfu.js", glue));
await import(blob(app));
`;

// Inline styles and scripts, and a policy that allows exactly these (no network at all).
html = html
  .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' blob: 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; frame-src blob: data:; object-src 'none'; base-uri 'none'; form-action 'none'">`)
  .replace('<link rel="stylesheet" href="style.css">', () => `<style>\n${css}\n</style>`)
  .replace('<script src="file-check.js"></script>\n', "")
  .replace('<script type="module" src="app.js"></script>', () =>
    `<script type="application/json" id="jianfu-glue">${json(glue)}</script>\n` +
    `<script type="application/json" id="jianfu-app">${json(app)}</script>\n` +
    `<script type="text/plain" id="jianfu-wasm">${wasm}</script>\n` +
    `<script type="module">${loader}</script>`);
if (!html.includes('id="jianfu-wasm"')) throw new Error("index.html no longer loads app.js as offline.mjs expects");

fs.mkdirSync(path.join(pkg, "offline"), { recursive: true });
const out = path.join(pkg, "offline", "jianfu.html");
fs.writeFileSync(out, html);
console.error(`[offline.mjs] ${out}: ${html.length} bytes`);
