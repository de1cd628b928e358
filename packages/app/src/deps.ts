/** What the app gets from outside: the signer, the clock, a scratch directory. Injectable for tests. */
import type { Signer } from "@livepatch-gitops/lpctl/core/sign/signer";
import { systemClock, type Clock } from "@livepatch-gitops/lpctl/io/clock";
import { BoundedSet } from "./bounded-set.js";
import { CommentState } from "./comment-state.js";
import { KeyedQueue } from "./keyed-queue.js";
import { Work } from "./work.js";

export interface AppDeps {
  /** The release signing key; loaded once, on first use. */
  signer: () => Promise<Signer>;
  /** Time (io/clock.ts): publish and expiry times, replay windows. */
  clock: Clock;
  /** The app's own GitHub App id, so only its check runs are reused. */
  appId?: number;
  /** Where artifacts are unpacked for the publisher (default: the OS temp dir). */
  tmpDir?: string;
  /** One publish or refresh at a time per repository: versions strictly increase. */
  publishQueue: KeyedQueue;
  /**
   * The app's own data directory (LPCTL_APP_STATE_DIR): what it published per
   * repository, out of every collaborator's reach. Publishing refuses without it.
   */
  stateDir?: string;
  /** Armored public keys the app signed earlier versions with (after a key rotation). */
  previousKeys?: () => Promise<string[]>;
  /** Directory of signed key lists (keys-<N>.json + .asc) published beside each manifest. */
  keyLists?: string;
  /** The app's bot login (`<slug>[bot]`): releases by anyone else are not the app's. */
  botLogin?: () => Promise<string>;
  /** Handler work, run after the webhook is answered (tests and shutdown wait for `idle()`). */
  work: Work;
  /** Each PR comment's sections as the app wrote them: the comment is rendered from this alone. */
  comments: CommentState;
  /**
   * PR build run attempts whose results this process wrote to the end
   * (github/build-results.ts): their workflow_run, when it comes after the
   * pull_request handler already completed the builds from them, is not read
   * again.
   */
  writtenRuns: BoundedSet;
}

/** Deps with defaults for what is not given. */
export function appDeps(partial: Partial<AppDeps> & Pick<AppDeps, "signer">): AppDeps {
  return {
    clock: systemClock,
    publishQueue: new KeyedQueue(),
    work: new Work(),
    comments: new CommentState(partial.stateDir),
    writtenRuns: new BoundedSet(),
    ...partial,
  };
}
