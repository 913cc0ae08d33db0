// The job broker's wire protocol, as both the broker client and the fake broker speak it.
// Modelled on runner scale sets. Shapes only: no behaviour lives here.

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
