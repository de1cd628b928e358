/** After every integration and e2e test file: what the forge conformance checks recorded, for docs/forge.md. */
import { afterAll } from "vitest";
import { dumpForgeCoverage } from "./forge-conformance.js";

afterAll(() => dumpForgeCoverage());
