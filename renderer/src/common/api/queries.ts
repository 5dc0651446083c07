/**
 * How the screens load what main knows: every request goes through TanStack Query, keyed by the
 * request's name and input, so screens that ask the same thing share one answer (and one request),
 * loading and errors look the same everywhere, and an answer can be updated in one place (after an
 * action, or from an event main pushes).
 */
import {
  QueryClient,
  skipToken,
  useMutation,
  useQuery,
  type QueryKey,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query'
import type { RequestInput, RequestName, RequestOutput } from '../../../../shared/contract'
import type { UserFacingError } from '../../../../shared/errors'
import { useApi, type InputArgs } from './client'

declare module '@tanstack/react-query' {
  // The client turns every failure into a UserFacingError (see client.ts), so that is what errors are.
  interface Register {
    defaultError: UserFacingError
  }
}

/** One request with its input, as a query: what `useRequest` loads and the key its answer is kept under. */
export interface Ask<N extends RequestName> {
  name: N
  input: InputArgs<N>
  key: QueryKey
}

/** A request to load: `ask('upload.status', { jobId })`. */
export function ask<N extends RequestName>(name: N, ...input: InputArgs<N>): Ask<N> {
  return { name, input, key: [name, ...input] }
}

/** The key of a request's answer in the cache; a name alone matches that request with any input. */
export function requestKey<N extends RequestName>(name: N, input?: Partial<RequestInput<N>>): QueryKey {
  return input === undefined ? [name] : [name, input]
}

type RequestQueryOptions<N extends RequestName> = Omit<
  UseQueryOptions<RequestOutput<N>, UserFacingError>,
  'queryKey' | 'queryFn'
>

/**
 * Loads a request's answer (null: nothing to load yet). Screens asking the same request share one
 * answer; it is read again when a screen that shows it opens, unless `staleTime` says otherwise.
 */
export function useRequest<N extends RequestName>(request: Ask<N> | null, options: RequestQueryOptions<N> = {}) {
  const api = useApi()
  return useQuery({
    ...options,
    queryKey: request?.key ?? ['nothing to load'],
    queryFn: request ? () => api.call(request.name, ...request.input) : skipToken,
  })
}

/** An action (a request that changes something), with its pending state and error. */
export function useAction<N extends RequestName, V = RequestInput<N> extends undefined ? void : RequestInput<N>>(
  name: N,
  options: Omit<UseMutationOptions<RequestOutput<N>, UserFacingError, V>, 'mutationFn'> & {
    /** The request's input from the action's variables (by default they are the input). */
    input?: (variables: V) => RequestInput<N>
  } = {},
) {
  const api = useApi()
  const { input = (variables: V) => variables as RequestInput<N>, ...rest } = options
  return useMutation({
    ...rest,
    mutationFn: (variables: V) => api.call(name, ...([input(variables)] as InputArgs<N>)),
  })
}

/**
 * The query client for the app. Requests go to Splitsend's own background service, never to the
 * internet, so they run whether or not the computer is online; a failed request is shown at once
 * (main has already retried whatever is worth retrying); switching windows doesn't ask again.
 */
export function createQueryClient(config: ConstructorParameters<typeof QueryClient>[0] = {}): QueryClient {
  return new QueryClient({
    ...config,
    defaultOptions: {
      queries: { networkMode: 'always', retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { networkMode: 'always', retry: false },
    },
  })
}

interface ActionState {
  error: UserFacingError | null
  submittedAt: number
  reset(): void
}

/**
 * What went wrong with the last of several actions the person started, if it went wrong: starting
 * another action puts an older action's problem away, as the person has moved on from it.
 */
export function lastActionProblem(...actions: ActionState[]): { problem: UserFacingError; dismiss(): void } | null {
  const last = actions.reduce((a, b) => (b.submittedAt > a.submittedAt ? b : a))
  return last.error ? { problem: last.error, dismiss: last.reset } : null
}
