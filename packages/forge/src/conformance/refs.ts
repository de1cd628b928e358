/**
 * GitHub's descriptions refer to shared schemas as `#/components/schemas/x`,
 * a pointer into the whole document. Ajv resolves such a pointer only inside
 * the schema being compiled, so the components are registered once under
 * their own `$id` and every reference is made absolute: `<id>#/components/…`.
 * Each operation's schema then compiles on its own, on demand, and shares the
 * compiled components with every other operation.
 */
export function rewriteComponentRefs(node: unknown, id: string): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteComponentRefs(item, id);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const object = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(object)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/")) {
      object[key] = `${id}${value}`;
    } else {
      rewriteComponentRefs(value, id);
    }
  }
}
