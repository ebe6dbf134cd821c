#!/usr/bin/env node
// Usage: node deploy/tests/hcl2json.mjs DIR
// Prints one JSON object: { "<path of each .tf file under DIR>": <its HCL parsed to JSON> }.
// Parsing is HashiCorp's own HCL parser compiled to WebAssembly (@cdktf/hcl2json), so what
// parses here parses in terraform; expressions stay as "${...}" strings.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { parse } = require("@cdktf/hcl2json");

function tfFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".terraform" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tfFiles(path));
    else if (entry.isFile() && entry.name.endsWith(".tf")) out.push(path);
  }
  return out.sort();
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node hcl2json.mjs DIR");
  process.exit(2);
}

const result = {};
let failed = false;
for (const file of tfFiles(dir)) {
  try {
    result[file] = await parse(file, readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`${file}: ${err && err.message ? err.message : err}`);
    failed = true;
  }
}
if (failed) process.exit(1);
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
