// The hand-written TypeScript declarations (src/types.d.ts, shipped in pkg/*/jianfu.d.ts)
// against the JSON Schemas made from the Rust types (schemas/*.schema.json, `jianfu schema`):
// each interface has the properties of its Rust type, and every property the schema requires
// is required in TypeScript. Read with the TypeScript compiler's own API, so the declarations
// cannot drift from the core unnoticed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { here, repo } from "./jianfu.mjs";

const schemas = (name) => JSON.parse(fs.readFileSync(path.join(repo, "schemas", `${name}.schema.json`), "utf8"));

// Interface → where its shape is in the schemas: [file, `$defs` entry or null for the root].
const SHAPES = {
  Verdict: ["verdict", null],
  Finding: ["verdict", "Finding"],
  Evidence: ["verdict", "Evidence"],
  Citation: ["verdict", "Citation"],
  Text: ["verdict", "Text"],
  RulesetInfo: ["verdict", "RulesetInfo"],
  RuleVersion: ["verdict", "RuleVersion"],
  Review: ["review", null],
  ReviewFinding: ["review", "ReviewFinding"],
  Clause: ["review", "Clause"],
  PlanReport: ["plan", null],
  ScoreReport: ["score", null],
  Issuer: ["item", "Issuer"],
  Item: ["item", null],
};

/** Each interface of the declarations: property name → optional. */
function interfaces() {
  const file = path.join(here, "..", "src", "types.d.ts");
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const found = {};
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) {
      const props = {};
      for (const member of node.members) {
        if (ts.isPropertySignature(member)) props[member.name.getText(source).replace(/"/g, "")] = Boolean(member.questionToken);
      }
      found[node.name.text] = props;
    }
  });
  return found;
}

for (const [name, [file, entry]] of Object.entries(SHAPES)) {
  test(`the TypeScript ${name} has the fields of the Rust type`, () => {
    const declared = interfaces()[name];
    assert.ok(declared, `${name} is not declared in src/types.d.ts`);
    const schema = entry ? schemas(file).$defs[entry] : schemas(file);
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(schema.properties).sort(), name);
    for (const required of schema.required ?? []) {
      assert.equal(declared[required], false, `${name}.${required} is always there: not optional`);
    }
  });
}
