/**
 * Reads a check run create/update body with GitHub's limits: at most 50
 * annotations per request (more are appended by further updates), output
 * `summary`/`text` up to 65535 characters, annotation messages up to 64 KB,
 * and `conclusion` required once `status` is `completed`.
 */
import { invalidField, missingField, ForgeHttpError } from "../http/errors.js";
import type { Body } from "../http/body.js";
import {
  CHECK_CONCLUSIONS,
  type AnnotationRow,
  type CheckConclusion,
  type CheckOutput,
  type CheckStatus,
} from "../model/check-rows.js";

export const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_OUTPUT_CHARS = 65535;
const MAX_MESSAGE_BYTES = 64 * 1024;
const LEVELS = ["notice", "warning", "failure"] as const;

export type AnnotationInput = Omit<AnnotationRow, "id" | "runId">;

export interface CheckInput {
  name?: string;
  head_sha?: string;
  status?: CheckStatus;
  conclusion?: CheckConclusion;
  started_at?: string;
  completed_at?: string;
  external_id?: string;
  details_url?: string;
  output?: CheckOutput;
  annotations: AnnotationInput[];
}

function isoTime(body: Body, field: string): string | undefined {
  const v = body.optString(field);
  if (v === undefined) return undefined;
  if (Number.isNaN(Date.parse(v))) throw invalidField(field, `"${v}" is not a timestamp`);
  return new Date(v).toISOString();
}

function text(o: Record<string, unknown>, field: string, max: number): string | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string")
    throw invalidField(`output.${field}`, `${JSON.stringify(v)} is not a string`);
  if (v.length > max)
    throw invalidField(`output.${field}`, `is too long (maximum is ${max} characters)`);
  return v;
}

function int(a: Record<string, unknown>, field: string, required: boolean): number | null {
  const v = a[field];
  if (v === undefined || v === null) {
    if (required) throw missingField(`annotations.${field}`);
    return null;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw invalidField(
      `annotations.${field}`,
      `${JSON.stringify(v)} is not a non-negative integer`,
    );
  }
  return v;
}

function annotation(raw: unknown): AnnotationInput {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw invalidField("annotations", `${JSON.stringify(raw)} is not an object`);
  }
  const a = raw as Record<string, unknown>;
  const str = (field: string): string | null => {
    const v = a[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== "string")
      throw invalidField(`annotations.${field}`, `${JSON.stringify(v)} is not a string`);
    return v;
  };
  const path = str("path");
  const message = str("message");
  const level = str("annotation_level");
  if (path === null) throw missingField("annotations.path");
  if (message === null) throw missingField("annotations.message");
  if (level === null) throw missingField("annotations.annotation_level");
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw invalidField(
      "annotations.annotation_level",
      `"${level}" is not a member of ${JSON.stringify(LEVELS)}`,
    );
  }
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    throw invalidField("annotations.message", "is too long (maximum is 64 KB)");
  }
  const start = int(a, "start_line", true) ?? 0;
  const end = int(a, "end_line", true) ?? 0;
  if (end < start) throw invalidField("annotations.end_line", "must not be before start_line");
  // GitHub keeps columns only for single-line annotations.
  const sameLine = start === end;
  return {
    path,
    start_line: start,
    end_line: end,
    start_column: sameLine ? int(a, "start_column", false) : null,
    end_column: sameLine ? int(a, "end_column", false) : null,
    annotation_level: level as AnnotationInput["annotation_level"],
    title: str("title"),
    message,
    raw_details: str("raw_details"),
  };
}

/** The fields of a create (`creating`) or update body; throws GitHub's 422s. */
export function readCheckInput(body: Body, creating: boolean): CheckInput {
  const input: CheckInput = { annotations: [] };
  const name = creating ? body.string("name") : body.optString("name");
  if (name !== undefined) input.name = name;
  if (creating) input.head_sha = body.string("head_sha");
  const status = body.optEnum("status", ["queued", "in_progress", "completed"] as const);
  const conclusion = body.optEnum("conclusion", CHECK_CONCLUSIONS);
  if (status === "completed" && conclusion === undefined) throw missingField("conclusion");
  if (conclusion !== undefined) {
    input.conclusion = conclusion;
    input.status = "completed";
  } else if (status !== undefined) input.status = status;
  const started = isoTime(body, "started_at");
  if (started !== undefined) input.started_at = started;
  const completed = isoTime(body, "completed_at");
  if (completed !== undefined) input.completed_at = completed;
  const external = body.optString("external_id");
  if (external !== undefined) input.external_id = external;
  const details = body.optString("details_url");
  if (details !== undefined) input.details_url = details;
  const output = body.optObject("output");
  if (output) {
    const title = text(output, "title", MAX_OUTPUT_CHARS);
    const summary = text(output, "summary", MAX_OUTPUT_CHARS);
    if (title === null) throw missingField("output.title");
    if (summary === null) throw missingField("output.summary");
    input.output = { title, summary, text: text(output, "text", MAX_OUTPUT_CHARS) };
    const annotations = output.annotations ?? [];
    if (!Array.isArray(annotations)) {
      throw invalidField("output.annotations", "is not an array");
    }
    if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
      throw new ForgeHttpError(
        422,
        `Invalid request.\n\nFor 'properties/annotations', ${annotations.length} items is too long (maximum is ${MAX_ANNOTATIONS_PER_REQUEST} items).`,
      );
    }
    input.annotations = annotations.map(annotation);
  }
  return input;
}
