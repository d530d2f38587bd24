#!/usr/bin/env bash
# Production dependencies must carry no high or critical advisory (npm audit --omit=dev).
# Exit 1 when the audit lists one; exit 0 with a warning when the registry's audit endpoint does not
# answer (some mirrors refuse it), since then there is no verdict to act on.
set -u
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
say "auditing production dependencies (npm audit --omit=dev)"
npm audit --omit=dev --json 2>/dev/null | node -e '
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => {
    let report;
    try {
      report = JSON.parse(text);
    } catch {
      report = { message: "npm audit printed no JSON" };
    }
    const counts = report.metadata?.vulnerabilities;
    if (counts === undefined) {
      console.log(`\x1b[33m[faultline] npm audit gave no verdict: ${report.message ?? report.error?.summary ?? "unknown error"}. ` +
        "The registry this machine reaches does not answer audits; run npm audit --omit=dev where registry.npmjs.org is reachable.\x1b[0m");
      return;
    }
    const serious = (counts.high ?? 0) + (counts.critical ?? 0);
    const names = Object.values(report.vulnerabilities ?? {})
      .filter((v) => v.severity === "high" || v.severity === "critical")
      .map((v) => `${v.name} (${v.severity})`);
    if (serious === 0) {
      console.log(`[faultline] npm audit: no high or critical advisories in production dependencies (${counts.total ?? 0} in all)`);
      return;
    }
    console.log(`\x1b[31m[faultline] npm audit: ${serious} high or critical advisories: ${names.join(", ")}. ` +
      "Run npm audit --omit=dev for the fixed versions, then npm audit fix --omit=dev or raise the dependency in its workspace package.json, and commit package-lock.json.\x1b[0m");
    process.exitCode = 1;
  });
'
