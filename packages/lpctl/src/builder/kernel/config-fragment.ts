/**
 * Kconfig fragments: which options a target asks for, the scripts/config
 * arguments that set them, and which of them `make olddefconfig` dropped
 * (a dependency missing, or an option that does not exist).
 */
export type ConfigValue =
  { kind: "y" | "m" | "n" } | { kind: "str"; value: string } | { kind: "val"; value: string };

const SET = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const UNSET = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/;

function parseValue(raw: string): ConfigValue {
  if (raw === "y") return { kind: "y" };
  if (raw === "m") return { kind: "m" };
  if (raw === "n") return { kind: "n" };
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) {
    return { kind: "str", value: raw.slice(1, -1).replace(/\\(.)/g, "$1") };
  }
  return { kind: "val", value: raw };
}

/** Options set by a fragment or a .config, later lines winning. */
export function parseConfig(text: string): Map<string, ConfigValue> {
  const out = new Map<string, ConfigValue>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const set = SET.exec(line);
    if (set?.[1] !== undefined) out.set(set[1], parseValue(set[2] ?? ""));
    const unset = UNSET.exec(line);
    if (unset?.[1] !== undefined) out.set(unset[1], { kind: "n" });
  }
  return out;
}

/** Arguments for `scripts/config --file .config ...` that apply the fragment. */
export function scriptsConfigArgs(fragment: string): string[] {
  const args: string[] = [];
  for (const [name, v] of parseConfig(fragment)) {
    const opt = name.slice("CONFIG_".length);
    switch (v.kind) {
      case "y":
        args.push("--enable", opt);
        break;
      case "m":
        args.push("--module", opt);
        break;
      case "n":
        args.push("--disable", opt);
        break;
      case "str":
        args.push("--set-str", opt, v.value);
        break;
      case "val":
        args.push("--set-val", opt, v.value);
        break;
    }
  }
  return args;
}

function show(v: ConfigValue | undefined): string {
  if (v === undefined) return "unset";
  if (v.kind === "str") return `"${v.value}"`;
  if (v.kind === "val") return v.value;
  return v.kind;
}

export interface DroppedOption {
  name: string;
  wanted: string;
  got: string;
}

/** Fragment options whose value in the final .config differs from the request. */
export function droppedOptions(fragment: string, finalConfig: string): DroppedOption[] {
  const final = parseConfig(finalConfig);
  const dropped: DroppedOption[] = [];
  for (const [name, want] of parseConfig(fragment)) {
    const got = final.get(name);
    // "n" is satisfied by an option that is absent (its dependencies are off).
    const same =
      want.kind === "n"
        ? got === undefined || got.kind === "n"
        : got !== undefined && show(got) === show(want);
    if (!same) dropped.push({ name, wanted: show(want), got: show(got) });
  }
  return dropped;
}

/** The CONFIG_CC_VERSION_TEXT value of a .config, the compiler identity the kernel records. */
export function ccVersionText(config: string): string | undefined {
  const v = parseConfig(config).get("CONFIG_CC_VERSION_TEXT");
  return v?.kind === "str" ? v.value : undefined;
}
