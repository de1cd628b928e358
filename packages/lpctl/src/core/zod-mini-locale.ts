/**
 * English messages for the schemas built with zod/mini: mini has no default
 * locale (classic zod sets English on its first schema), and its issues would
 * otherwise read "Invalid input". Every module that builds a zod/mini schema
 * imports this one; a locale set before it wins.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

if (z.config().localeError === undefined) z.config(en());
