/** The app's webhook deliveries: list, get one with request and response, redeliver. */
import type { ForgeContext } from "../context.js";
import { notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { ok, type Routes } from "../http/types.js";
import { deliveryItemJson } from "../webhooks/delivery-row.js";
import { requireApp } from "./guards.js";

export function registerDeliveries(routes: Routes, ctx: ForgeContext): void {
  const deliveries = ctx.webhooks.deliveries;

  routes.api("GET", "/app/hook/deliveries", (req) => {
    const app = requireApp(req.principal);
    // Newest first, as GitHub lists them.
    const all = deliveries.filter((d) => d.appId === app.id).reverse();
    const page = paginate(all, req.url);
    return ok(page.items.map(deliveryItemJson), page.link ? { Link: page.link } : undefined);
  });

  routes.api("GET", "/app/hook/deliveries/{delivery_id}", async (req) => {
    const app = requireApp(req.principal);
    const d = deliveries.get(Number(req.params.delivery_id));
    if (!d || d.appId !== app.id) throw notFound();
    const detail = await ctx.webhooks.detail(d.id);
    return ok({ ...deliveryItemJson(d), url: d.url, ...detail });
  });

  routes.api("POST", "/app/hook/deliveries/{delivery_id}/attempts", async (req) => {
    const app = requireApp(req.principal);
    const d = deliveries.get(Number(req.params.delivery_id));
    if (!d || d.appId !== app.id || !(await ctx.webhooks.redeliver(d.id))) throw notFound();
    return { status: 202, body: {} };
  });
}
