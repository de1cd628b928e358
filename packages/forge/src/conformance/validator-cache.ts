import type { Ajv, ValidateFunction } from "ajv";
import { describeErrors } from "./ajv-setup.js";

/**
 * Compiles each schema once, on first use, under a caller-chosen key
 * (operation + status + media type, or webhook key): a test run touches a few
 * dozen of GitHub's ~2,600 response schemas, and compiling all of them would
 * take ~8 s.
 */
export class ValidatorCache {
  private readonly validators = new Map<string, ValidateFunction | string>();

  constructor(private readonly ajv: Ajv) {}

  /** Why `value` does not match the schema under `key`, or undefined when it does. */
  validate(key: string, schema: () => unknown, value: unknown): string | undefined {
    const validator = this.get(key, schema);
    if (typeof validator === "string") return validator;
    return validator(value) ? undefined : describeErrors(validator.errors ?? []);
  }

  private get(key: string, schema: () => unknown): ValidateFunction | string {
    let validator = this.validators.get(key);
    if (validator === undefined) {
      try {
        validator = this.ajv.compile(schema() as object);
      } catch (e) {
        // A description the converter cannot handle is a bug here, not in the forge.
        validator = `its schema does not compile: ${e instanceof Error ? e.message : String(e)}`;
      }
      this.validators.set(key, validator);
    }
    return validator;
  }
}
