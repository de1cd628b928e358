/**
 * The agent's first import (agent-main.ts): zod without its JIT. zod compiles
 * a parser with `new Function` for each object schema on its first parse;
 * the agent is a short process that parses each of its files once, so that
 * compile is pure start-up cost (a few ms per sync; V8's code cache cannot
 * keep it). The checks are the same either way. zod reads the setting when
 * a schema is built, so this module must run before any schema module.
 */
import * as z from "zod/mini";

z.config({ jitless: true });
