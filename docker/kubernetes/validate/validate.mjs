// Validates rendered Kubernetes manifests (the output of `kubectl kustomize`) offline against the Kubernetes API
// schemas that npm's kubernetes-models ships (types, formats, required fields of every built-in kind). Unknown
// fields are caught by the strict load in hub/test/Collab.Hub.Tests/Deploy (KubernetesClient); together they are
// the strict check test.sh runs. Usage: node validate.mjs RENDERED.yaml...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failures = 0;
for (const file of process.argv.slice(2)) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  for (const document of documents) {
    if (document.errors.length) {
      console.error(`${file}: YAML error: ${document.errors[0].message}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (!object) continue;
    const { apiVersion, kind } = object;
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const modulePath = `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`;
    const name = `${kind}/${object.metadata?.name ?? "?"}`;
    let Model;
    try {
      ({ [kind]: Model } = await import(modulePath));
    } catch {
      console.error(`${file}: ${name}: no schema for ${apiVersion} ${kind} (not a built-in kind of this Kubernetes version)`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`${file}: ${name} valid (${apiVersion})`);
    } catch (error) {
      console.error(`${file}: ${name}: ${error.message}`);
      failures++;
    }
  }
}
process.exit(failures ? 1 : 0);
