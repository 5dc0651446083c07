import { MutationCache, QueryCache, type QueryClient } from '@tanstack/react-query'
import { createQueryClient } from '../common/api/queries'
import { followSignInEnded } from '../features/connect/account'

/** The app's query client: any request that fails because the sign-in ended has the account status read again. */
export function createAppQueryClient(): QueryClient {
  const client: QueryClient = createQueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.queryKey[0] !== 'account.status') followSignInEnded(client, error.code)
      },
    }),
    mutationCache: new MutationCache({ onError: (error) => followSignInEnded(client, error.code) }),
  })
  return client
}
