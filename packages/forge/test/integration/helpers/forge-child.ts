/** A forge in its own process (for the kill -9 test): prints its URL and admin token, then serves. */
import { startForge } from "../../../src/index.js";

const dataDir = process.argv[2] ?? "";
const forge = await startForge({ dataDir, log: () => undefined });
process.stdout.write(
  JSON.stringify({ url: forge.url, apiUrl: forge.apiUrl, adminToken: forge.adminToken }) + "\n",
);
