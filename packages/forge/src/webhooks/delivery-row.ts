/**
 * A recorded webhook delivery: the summary lives in the store (table
 * `deliveries`), the request and response bodies in
 * `<dataDir>/deliveries/<detailKey>.json`, so the state file stays small.
 */
import type { Row } from "../persistence/state-tables.js";

export interface DeliveryRow extends Row {
  guid: string;
  /** Names `<dataDir>/deliveries/<detailKey>.json` (request and response). */
  detailKey: string;
  appId: number;
  installationId: number | null;
  repositoryId: number | null;
  event: string;
  action: string | null;
  url: string;
  redelivery: boolean;
  delivered_at: string;
  duration: number;
  status: string;
  status_code: number;
  /** Why the payload failed the conformance hook, if it did. */
  violation?: string;
}

export interface DeliveryDetail {
  request: { headers: Record<string, string>; payload: Record<string, unknown> };
  response: { headers: Record<string, string> | null; payload: string | null };
}

export function deliveryItemJson(d: DeliveryRow): Record<string, unknown> {
  return {
    id: d.id,
    guid: d.guid,
    delivered_at: d.delivered_at,
    redelivery: d.redelivery,
    duration: d.duration,
    status: d.status,
    status_code: d.status_code,
    event: d.event,
    action: d.action,
    installation_id: d.installationId,
    repository_id: d.repositoryId,
  };
}
