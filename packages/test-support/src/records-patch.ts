/** A records-only patch.yaml (no *.patch beside it): one CVE no live patch can fix. */
export const RECORD = {
  cve: "CVE-2024-1234",
  reason: "changes struct sk_buff layout",
  fixedIn: "6.1.119-1",
} as const;

/** patch.yaml text declaring RECORD for `kernels` (ids or globs). */
export function recordsPatchYaml(kernels: string): string {
  return `title: sk_buff layout change
description: The fix changes struct sk_buff; no live patch can carry it.
kernels: ["${kernels}"]
notLivePatchable:
  - cve: ${RECORD.cve}
    reason: ${RECORD.reason}
    fixedIn: ${RECORD.fixedIn}
`;
}
