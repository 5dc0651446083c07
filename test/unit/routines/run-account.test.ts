import { describe, expect, it } from 'vitest'
import type { AccountStatus } from '../../../shared/channels/account'
import type { AccountService } from '../../../electron/services/account/index'
import { accountRefOf, routineAccountClient } from '../../../electron/services/routines/run-account'

const CONNECTED_REAL: AccountStatus = {
  connected: true,
  practice: false,
  endpoint: 'real',
  accountName: 'Acme Ltd',
  email: 'office@acme.example',
  needsReconnect: false,
}

/** An account service that only answers status/connect/client, recording connects. */
function fakeAccount(status: AccountStatus) {
  const connects: unknown[] = []
  const account = {
    status: async () => status,
    connect: async (options: unknown) => {
      connects.push(options)
      return { ...status, connected: true, practice: true, endpoint: 'practice' as const }
    },
    client: async () => ({ fake: 'client' }),
  } as unknown as AccountService
  return { account, connects }
}

describe("a routine's account", () => {
  it('uses the connected real account when it is the routine’s', async () => {
    const { account } = fakeAccount(CONNECTED_REAL)
    const { info } = await routineAccountClient(account, { endpoint: 'real', accountName: 'Acme Ltd' })
    expect(info).toEqual({ name: 'Acme Ltd', email: 'office@acme.example', practice: false })
  })

  it('refuses, saying how to connect, when nothing or another account is connected', async () => {
    const { account: none } = fakeAccount({ ...CONNECTED_REAL, connected: false })
    await expect(routineAccountClient(none, { endpoint: 'real' })).rejects.toMatchObject({
      code: 'cc_not_connected',
      hint: "Run 'splitsend login' first. Nothing was uploaded or sent.",
    })
    const { account: other } = fakeAccount(CONNECTED_REAL)
    await expect(
      routineAccountClient(other, { endpoint: 'real', email: 'someone@else.example' }),
    ).rejects.toMatchObject({
      code: 'cc_other_account',
      message: 'Splitsend is connected to “Acme Ltd”, but this routine uses “someone@else.example”.',
    })
    const { account: practice } = fakeAccount({ ...CONNECTED_REAL, practice: true, endpoint: 'practice' })
    await expect(
      routineAccountClient(practice, {
        endpoint: 'custom',
        apiBase: 'http://127.0.0.1:9/v3',
        authBase: 'http://127.0.0.1:9/oauth2',
      }),
    ).rejects.toMatchObject({ code: 'cc_other_account', message: expect.stringContaining('the practice account') })
  })

  it('starts the practice account when the routine uses it', async () => {
    const { account, connects } = fakeAccount({ ...CONNECTED_REAL, connected: false })
    await routineAccountClient(account, { endpoint: 'practice' })
    expect(connects).toEqual([{ mode: 'browser', endpoint: 'practice' }])
  })

  it('records the connected account for a new routine', () => {
    expect(accountRefOf(CONNECTED_REAL)).toEqual({
      endpoint: 'real',
      accountName: 'Acme Ltd',
      email: 'office@acme.example',
    })
    expect(accountRefOf({ ...CONNECTED_REAL, practice: true, endpoint: 'practice' })).toEqual({ endpoint: 'practice' })
    expect(() => accountRefOf({ ...CONNECTED_REAL, endpoint: 'custom' })).toThrow(
      /Say which Constant Contact the routine uses/,
    )
  })
})
