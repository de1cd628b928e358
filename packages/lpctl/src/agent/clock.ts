/** Time for the agent: wall clock for expiry and timestamps, monotonic for waits. */
export interface AgentClock {
  now(): Date;
  monotonicMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemAgentClock: AgentClock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
