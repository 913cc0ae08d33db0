// Preloaded by bench-codemod.mjs's size sweep (`node --import`): on exit, the process's peak RSS and CPU time,
// on file descriptor 3, which the benchmark reads. Node gives a parent no rusage of its child.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  try {
    writeSync(3, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  } catch {
    // Not run by the benchmark: nothing to report to.
  }
});
