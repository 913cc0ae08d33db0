// The job broker's wire protocol, as both the broker client and the fake broker speak it.
// Modelled on runner scale sets. The shapes, and the validation of what arrives in them: whether a
// value is the protocol's shape is a property of the protocol, not of whoever reads it.

/** `POST /oauth/token` (client_credentials grant with a JWT-bearer client_assertion). */
export interface TokenResponse {
  access_token: string;
  /** Seconds until the token expires. */
  expires_in: number;
}

export interface SessionStatistics {
  totalAvailableJobs: number;
  totalAcquiredJobs: number;
  totalAssignedJobs: number;
  totalRunningJobs: number;
  totalRegisteredRunners: number;
}

/** `POST /scalesets/:id/sessions` → 200, or 409 when a session for this owner already exists. */
export interface Session {
  sessionId: string;
  messageQueueUrl: string;
  messageQueueAccessToken: string;
  statistics: SessionStatistics;
}

export type JobMessageType = 'JobAvailable' | 'JobAssigned' | 'JobStarted' | 'JobCompleted';

/** One element of the JSON array carried, as a string, in a queue message's `body`. */
export interface JobMessage {
  messageType: JobMessageType;
  runnerRequestId: number;
  jobId: string;
}

/** `GET <messageQueueUrl>?lastMessageId=N` → 200 with one message, or 202 after holding the poll. */
export interface QueueMessage {
  messageId: number;
  messageType: 'RunnerScaleSetJobMessages';
  /** A JSON string holding `JobMessage[]`. */
  body: string;
}

/** `POST /scalesets/:id/acquirejobs` with a body of `runnerRequestId[]`. */
export interface AcquireJobsResponse {
  count: number;
  /** The runnerRequestIds this session acquired; a job acquired elsewhere is absent. */
  value: number[];
}

/** Header the broker sets on every response, echoed in errors so an operator can find the request in broker logs. */
export const BROKER_REQUEST_ID_HEADER = 'x-broker-request-id';

/**
 * Message ids and runnerRequestIds are non-negative safe integers: what `Number` holds exactly, and what
 * the listener's state file accepts back on the next start. Anything else is refused where it enters.
 *
 * Why checking the parsed value is enough, although JSON.parse rounds (2^53+1 parses as 2^53): rounding
 * is monotonic and 2^53-1 is exact, so every integer written above 2^53-1 parses to 2^53 or more, which
 * Number.isSafeInteger rejects. No integer literal can round INTO the safe range. Carrying ids as strings
 * or bigints instead would only pay off for ids above 2^53-1 (nine quadrillion messages), which no
 * broker reaches honestly; a broker that sends one is broken or hostile and is treated as malformed.
 * What does read as a safe integer is a fraction written with more digits than a double keeps
 * (5.0000000000000001 is exactly 5): it names the same message a broker sending 5 would.
 */
export function isProtocolId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const jobMessageTypes: ReadonlySet<string> = new Set<JobMessageType>(['JobAvailable', 'JobAssigned', 'JobStarted', 'JobCompleted']);

/** The job messages in a queue message's body, or undefined when the body is not the protocol's shape. */
export function parseJobMessages(body: string): JobMessage[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const jobs: JobMessage[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { messageType, runnerRequestId, jobId } = item as Record<string, unknown>;
    if (typeof messageType !== 'string' || !jobMessageTypes.has(messageType)) return undefined;
    if (!isProtocolId(runnerRequestId) || typeof jobId !== 'string') return undefined;
    jobs.push({ messageType: messageType as JobMessageType, runnerRequestId, jobId });
  }
  return jobs;
}
