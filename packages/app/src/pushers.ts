/**
 * Who pushed to a pull request, remembered across heads in the `external_id`
 * of the app's own safety review check run on each head. Only the app can
 * write its check runs (the PR comment, by contrast, is editable by every
 * collaborator), so a pusher cannot erase herself from the record. Pure.
 */

const PREFIX = "livepatch-pushers:";
/** GitHub logins, and app bots such as `renovate[bot]`. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?$/;

/** The pushers recorded in `externalId`; a value the app did not write records nobody. */
export function parsePushers(externalId: string | null | undefined): string[] {
  if (!externalId?.startsWith(PREFIX)) return [];
  return externalId
    .slice(PREFIX.length)
    .split(",")
    .filter((l) => LOGIN.test(l));
}

/** The `external_id` recording `logins` (case-insensitively distinct, first spelling kept, sorted). */
export function formatPushers(logins: Iterable<string>): string {
  const seen = new Map<string, string>();
  for (const l of logins)
    if (LOGIN.test(l) && !seen.has(l.toLowerCase())) seen.set(l.toLowerCase(), l);
  return (
    PREFIX +
    [...seen.keys()]
      .sort()
      .map((k) => seen.get(k))
      .join(",")
  );
}
