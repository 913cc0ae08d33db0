/**
 * Signals that end on cancellation, never on a timer: where frameworks abort a controller (an effect's cleanup,
 * a component's teardown, a user's event handler) and which framework hands a request function a signal of
 * its own (TanStack Query's `queryFn`). `strict` (`requireDeadlineSignal`) does not count them as deadlines.
 * Plain data; `detection/cancel-paths.ts` reads it.
 *
 * @packageDocumentation
 */

/** Where a controller can be aborted on a cancellation path, by framework. */
export interface CancelPathKnowledge {
  /** Hooks whose callback may return a cleanup, run when the component unmounts or the effect re-runs (React). */
  readonly effectHooks: readonly string[];
  /** Functions whose callback runs on teardown: Vue's `onUnmounted`, Svelte's `onDestroy`, Solid's `onCleanup`. */
  readonly teardownCallbacks: readonly string[];
  /** Lifecycle methods run on teardown: class components, Angular, custom elements, Vue's options API. */
  readonly teardownMethods: readonly string[];
  /** Names of event handlers as JSX attributes, properties or bindings (`onClick`, `onCancel`, `handleCancel`). */
  readonly eventHandlerName: RegExp;
  /** Listener registrations whose callback runs on an event (`button.addEventListener('click', ...)`). */
  readonly listenerRegistrations: readonly string[];
  /**
   * Events whose listener is no cancellation: `'abort'` forwards another signal (possibly a deadline),
   * `'timeout'` is a socket's idle timer.
   */
  readonly notCancelEvents: readonly string[];
}

export const CANCEL_PATHS: CancelPathKnowledge = {
  // https://react.dev/reference/react/useEffect#parameters ("cleanup function").
  effectHooks: ['useEffect', 'useLayoutEffect', 'useInsertionEffect'],
  // Vue 3 https://vuejs.org/api/composition-api-lifecycle.html, Vue 3.5 `onWatcherCleanup`, Svelte `onDestroy`,
  // Solid `onCleanup`, Vue's `onScopeDispose`.
  teardownCallbacks: ['onUnmounted', 'onBeforeUnmount', 'onWatcherCleanup', 'onScopeDispose', 'onDestroy', 'onCleanup'],
  teardownMethods: ['componentWillUnmount', 'ngOnDestroy', 'disconnectedCallback', 'beforeUnmount', 'unmounted', 'beforeDestroy', 'destroyed'],
  eventHandlerName: /^(?:on|handle)[A-Z]/,
  listenerRegistrations: ['addEventListener', 'on', 'once'],
  notCancelEvents: ['abort', 'timeout'],
};

/**
 * A framework that calls a request function with a signal it aborts only on cancellation.
 * TanStack Query (`@tanstack/*-query`, `react-query` 3.30+) passes `{ signal }` in the `QueryFunctionContext`, the
 * first argument of `queryFn`, and aborts it when the query is cancelled or no longer used
 * (https://tanstack.com/query/latest/docs/framework/react/guides/query-cancellation); it never aborts it on a
 * timer. `mutationFn` receives the mutation's variables, no signal.
 */
export interface QueryFunctionKnowledge {
  readonly library: string;
  /** The option holding the request function: `useQuery({ queryKey, queryFn })`, `queryOptions({ queryFn })`. */
  readonly property: string;
  /** Calls that also take it as their second argument (v3/v4's `useQuery(queryKey, queryFn)`). */
  readonly positionalCallees: readonly string[];
  /** Type names of the context, for a function declared apart: `({ signal }: QueryFunctionContext) => ...`. */
  readonly contextTypes: readonly string[];
}

export const QUERY_FUNCTIONS: readonly QueryFunctionKnowledge[] = [
  {
    library: 'TanStack Query',
    property: 'queryFn',
    positionalCallees: ['useQuery', 'useInfiniteQuery', 'useSuspenseQuery', 'fetchQuery', 'prefetchQuery', 'fetchInfiniteQuery', 'prefetchInfiniteQuery', 'ensureQueryData'],
    contextTypes: ['QueryFunctionContext'],
  },
];
