// The one error classifier: every error the package raises has one label, one restart reason and one
// recovery, and the metrics and the supervisor both read them from here.
import { describe, expect, it } from 'vitest';

import {
  BrokerConnectionError,
  BrokerError,
  classifyError,
  DeadlineExceededError,
  MalformedResponseError,
  OperationCancelledError,
  ResponseTooLargeError,
  SessionConflictError,
  SessionNotFoundError,
  TokenExpiredError,
  UntrustedOriginError,
  type ErrorClassification,
} from '../src/errors.js';
import { StateFileError } from '../src/atomic-file.js';
import { DeliveryJournalFileError } from '../src/delivery-journal.js';
import { LastMessageIdFileError } from '../src/last-message-store.js';
import { HandOffError } from '../src/hand-off.js';
import { StateDirectoryError } from '../src/state-directory.js';
import { restartReason, WatchdogTimeoutError } from '../src/supervisor.js';

const expected = (label: string, restart: string, recovery: string): ErrorClassification =>
  ({ label, restartReason: restart, recovery, retryable: recovery === 'retry' }) as ErrorClassification;

describe('classifyError', () => {
  it.each<[string, unknown, ErrorClassification]>([
    ['a deadline', new DeadlineExceededError('getMessage', 100), expected('deadline_exceeded', 'deadline_exceeded', 'retry')],
    ['a shutdown', new OperationCancelledError('getMessage'), expected('cancelled', 'cancelled', 'stop')],
    ['401 on a session call', new TokenExpiredError('acknowledgeMessage'), expected('token_expired', 'auth', 'refresh_credentials')],
    ['401 at the exchange itself', new TokenExpiredError('exchangeToken'), expected('token_expired', 'auth', 'restart')],
    ['409 at create', new SessionConflictError('createSession'), expected('session_conflict', 'session_conflict', 'recreate_session')],
    ['404 on the poll', new SessionNotFoundError('getMessage'), expected('session_not_found', 'session_not_found', 'recreate_session')],
    ['404 on acknowledge', new SessionNotFoundError('acknowledgeMessage'), expected('session_not_found', 'session_not_found', 'recreate_session')],
    ['404 on acquire', new SessionNotFoundError('acquireJobs'), expected('session_not_found', 'session_not_found', 'recreate_session')],
    ['503', new BrokerError('acquireJobs', 503), expected('broker_error', 'broker_error', 'retry')],
    ['429', new BrokerError('getMessage', 429), expected('broker_error', 'broker_error', 'retry')],
    ['408', new BrokerError('getMessage', 408), expected('broker_error', 'broker_error', 'retry')],
    ['a redirect (never followed)', new BrokerError('createSession', 307), expected('broker_error', 'broker_error', 'restart')],
    ['403 anywhere', new BrokerError('acquireJobs', 403), expected('broker_error', 'auth', 'restart')],
    ['400 at the exchange', new BrokerError('exchangeToken', 400), expected('broker_error', 'auth', 'restart')],
    ['400 elsewhere', new BrokerError('acquireJobs', 400), expected('broker_error', 'broker_error', 'restart')],
    ['a reset', new BrokerConnectionError('getMessage', new Error('ECONNRESET')), expected('connection_error', 'connection_error', 'retry')],
    ['a malformed body', new MalformedResponseError('getMessage', 'x'), expected('malformed_response', 'malformed_response', 'restart')],
    ['a flood', new ResponseTooLargeError('createSession', 'body', 10, 'maxControlPlaneResponseBytes'), expected('response_too_large', 'response_too_large', 'restart')],
    ['a queue elsewhere', new UntrustedOriginError('createSession', 'https://elsewhere.example'), expected('untrusted_origin', 'config', 'restart')],
    ['the watchdog', new WatchdogTimeoutError(0, 1_000), expected('watchdog', 'watchdog', 'restart')],
    ['a corrupt state file', new LastMessageIdFileError('/state/listener-0.json', 'corrupt'), expected('state_file', 'config', 'restart')],
    ['a state write that failed', new StateFileError('/state/delivery-journal.json', 'ENOSPC'), expected('state_file', 'config', 'restart')],
    ['a corrupt delivery journal', new DeliveryJournalFileError('/state/delivery-journal.json', 'corrupt'), expected('state_file', 'config', 'restart')],
    ['an unwritable state directory', new StateDirectoryError('/state', 'EROFS'), expected('state_file', 'config', 'restart')],
    ['a failed hand-off', new HandOffError(1, 'scaler failed'), expected('hand_off', 'hand_off', 'restart')],
    ['anything else', new TypeError('boom'), expected('error', 'error', 'restart')],
    ['a thrown string', 'boom', expected('error', 'error', 'restart')],
    // A lookup by name must not reach Object.prototype.
    ['an error named "constructor"', Object.assign(new Error('x'), { name: 'constructor' }), expected('error', 'error', 'restart')],
  ])('%s', (_name, error, classification) => {
    expect(classifyError(error)).toEqual(classification);
  });

  it("the supervisor's restart reason is the classifier's", () => {
    for (const error of [new SessionNotFoundError('getMessage'), new MalformedResponseError('createSession', 'x'), new BrokerError('acquireJobs', 403)]) {
      expect(restartReason(error)).toBe(classifyError(error).restartReason);
    }
  });
});
