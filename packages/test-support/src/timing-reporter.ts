/**
 * After the default reporter: the slowest test files (wall and CPU time, the
 * latter from ./cpu-usage-setup.ts), CPU per project, and every test that
 * used more than half of its timeout, so CI's output shows the next slow
 * regression and the next test a busy machine could time out before either
 * fails a run. It reports; it never fails a test (timings are benchmarks'
 * business, not tests').
 */
import type { Reporter, TestModule } from "vitest/node";

const SLOWEST_FILES = 15;

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export default class TimingReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[]): void {
    const files = modules
      .map((m) => ({
        project: m.project.name,
        name: `${m.project.name}  ${m.relativeModuleId}`,
        ms: m.diagnostic().duration,
        cpuMs: m.meta().cpuMs,
      }))
      .sort((x, y) => y.ms - x.ms);
    const cpu = (ms: number | undefined) => (ms === undefined ? "?" : secs(ms));
    const lines = [`slowest test files (${files.length} ran), wall and CPU:`];
    for (const f of files.slice(0, SLOWEST_FILES))
      lines.push(`  ${secs(f.ms).padStart(9)} ${cpu(f.cpuMs).padStart(9)}  ${f.name}`);
    const perProject = new Map<string, { ms: number; cpuMs: number; n: number }>();
    for (const f of files) {
      const p = perProject.get(f.project) ?? { ms: 0, cpuMs: 0, n: 0 };
      perProject.set(f.project, { ms: p.ms + f.ms, cpuMs: p.cpuMs + (f.cpuMs ?? 0), n: p.n + 1 });
    }
    lines.push("per project, summed over its files (wall, CPU):");
    for (const [name, p] of perProject)
      lines.push(
        `  ${secs(p.ms).padStart(9)} ${secs(p.cpuMs).padStart(9)}  ${name} (${String(p.n)} files)`,
      );

    const tight: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const timeout = t.options.timeout;
        const ms = t.diagnostic()?.duration;
        if (timeout === undefined || timeout <= 0 || ms === undefined) continue;
        if (ms * 2 > timeout) {
          tight.push(`  ${secs(ms)} of ${secs(timeout)}  ${m.relativeModuleId} > ${t.fullName}`);
        }
      }
    }
    lines.push(
      tight.length === 0
        ? "every test finished within half of its timeout"
        : `tests that used more than half of their timeout (give them 2x margin):\n${tight.join("\n")}`,
    );
    process.stdout.write(`\n${lines.join("\n")}\n`);
  }
}
