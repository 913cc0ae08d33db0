export interface Progress {
  /** One more file processed. */
  advance(): void;
  /** Clears the live line (TTY) so that the summary starts on a clean line. */
  done(): void;
}

interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

/**
 * A live counter on a TTY (redrawn at most every 100 ms), a plain line per tenth of the run otherwise
 * (CI logs stay short and readable), nothing with --quiet. Always on stderr, so stdout stays parseable.
 */
export function createProgress(options: { label: string; total: number; quiet: boolean; stream?: ProgressStream }): Progress {
  const stream = options.stream ?? process.stderr;
  const { label, total } = options;
  if (options.quiet || total === 0) return { advance() {}, done() {} };

  let processed = 0;
  if (stream.isTTY) {
    let lastDrawn = 0;
    const draw = (): void => {
      stream.write(`\r\x1b[K${label}: ${processed}/${total} files`);
    };
    return {
      advance() {
        processed += 1;
        const now = Date.now();
        if (now - lastDrawn >= 100 || processed === total) {
          lastDrawn = now;
          draw();
        }
      },
      done() {
        stream.write('\r\x1b[K');
      },
    };
  }

  let nextTenth = 1;
  return {
    advance() {
      processed += 1;
      let reached = false;
      while (nextTenth <= 10 && processed >= Math.ceil((total * nextTenth) / 10)) {
        reached = true;
        nextTenth += 1;
      }
      if (reached) stream.write(`${label}: ${processed}/${total} files\n`);
    },
    done() {},
  };
}
