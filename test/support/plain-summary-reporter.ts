import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one closing line in the plain form CI tooling reads ("N passed, N failed, N skipped"),
 * after vitest's own summary. Vitest's summary is aligned for humans; this line is for machines.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        counts[testCase.result().state] += 1;
      }
    }
    // A module that failed to load or errored in a hook has no failed test of its own: count it once, as a failure.
    const brokenModules = testModules.filter(
      (testModule) => testModule.state() === 'failed' && !Array.from(testModule.children.allTests('failed')).length,
    ).length;
    process.stdout.write(
      `\n${counts.passed} passed, ${counts.failed + brokenModules} failed, ${counts.skipped + counts.pending} skipped\n`,
    );
  }
}
