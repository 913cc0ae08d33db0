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
    if (typeof runnerRequestId !== 'number' || !Number.isSafeInteger(runnerRequestId) || typeof jobId !== 'string') return undefined;
    jobs.push({ messageType: messageType as JobMessageType, runnerRequestId, jobId });
  }
  return jobs;
}
