import { describe, expect, it } from 'vitest';

import { createJsonLogger, SecretRedactor } from '../src/logger.js';

describe('createJsonLogger', () => {
  it('writes one JSON object per line with the event, level and fields', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), now: () => 0 }).child({ listener: 2 });
    logger.info('session-created', { sessionId: 's-1' });
    logger.debug('hidden-below-info');
    expect(lines).toEqual(['{"time":"1970-01-01T00:00:00.000Z","level":"info","event":"session-created","listener":2,"sessionId":"s-1"}\n']);
  });

  it('redacts known secrets anywhere, credential-named fields, and bearer headers', () => {
    const lines: string[] = [];
    const redactor = new SecretRedactor();
    redactor.add('eyJhbGciOi.secret-token-value');
    const logger = createJsonLogger({ write: (line) => lines.push(line), redactor });
    logger.warn('call-failed', {
      error: new Error('server echoed eyJhbGciOi.secret-token-value back'),
      messageQueueAccessToken: 'another-secret-1234',
      header: 'Authorization: Bearer abc.def.ghi',
      tokenCount: 3,
    });
    const line = lines.join('');
    expect(line).not.toContain('secret-token-value');
    expect(line).not.toContain('another-secret-1234');
    expect(line).not.toContain('abc.def.ghi');
    expect(line).toContain('"tokenCount":3');
    expect(JSON.parse(line)).toMatchObject({ error: { name: 'Error', message: 'server echoed [REDACTED] back' } });
  });
});
