/**
 * zod/mini with English messages: mini has no default locale (classic zod
 * sets English on its first schema), and its issues would otherwise read
 * "Invalid input". Every module that builds a zod/mini schema imports zod
 * from here (`import * as z from "…/core/zod-mini.js"`), so none can miss
 * the locale; a locale set before this module runs wins. Re-exported with
 * `export *`, which bundlers still tree-shake member by member.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

if (z.config().localeError === undefined) z.config(en());

export * from "zod/mini";
