/**
 * A test send of a campaign's email to a few addresses (at most 5 a time; Constant Contact allows
 * 50 test emails a day per account, each address counting as one).
 */
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import { CC_LIMITS } from '../constant-contact/limits'
import { primaryEmailOf } from './campaigns'
import { testAddressesError, testDailyLimitError } from './messages'
import type { TestSendRequest, TestSendResult } from '../../../shared/send/schemas'

const ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/

/** The distinct addresses of what the person typed; refuses more than 5 or anything not an address. */
export function parseTestAddresses(input: string[] | string): string[] {
  const parts = (Array.isArray(input) ? input : input.split(/[,;\s]+/)).map((a) => a.trim()).filter(Boolean)
  const seen = new Set<string>()
  const addresses = parts.filter((a) => {
    const key = a.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  if (addresses.length === 0) throw testAddressesError('Enter at least one email address to send the test to.')
  const bad = addresses.filter((a) => !ADDRESS.test(a))
  if (bad.length)
    throw testAddressesError(
      `${bad.map((a) => `“${a}”`).join(', ')} ${bad.length === 1 ? 'is not an email address' : 'are not email addresses'}.`,
    )
  if (addresses.length > CC_LIMITS.testEmailAddressesPerSend) {
    throw testAddressesError(
      `A test can go to at most ${CC_LIMITS.testEmailAddressesPerSend} addresses at a time; you entered ${addresses.length}.`,
    )
  }
  return addresses
}

export async function sendTest(client: CcClient, request: TestSendRequest): Promise<TestSendResult> {
  const addresses = parseTestAddresses(request.addresses)
  const { campaignName, activityId } = await primaryEmailOf(client, request.campaignId)
  try {
    await client.sendTestEmail(activityId, {
      email_addresses: addresses,
      ...(request.personalMessage?.trim() ? { personal_message: request.personalMessage.trim() } : {}),
    })
  } catch (error) {
    if (isDailyTestLimit(error)) throw testDailyLimitError()
    throw error
  }
  return { campaignId: request.campaignId, campaignName, sentTo: addresses, at: new Date().toISOString() }
}

/** Constant Contact documents the limit but not how it refuses; recognise its words or key. */
function isDailyTestLimit(error: unknown): boolean {
  if (!(error instanceof ConstantContactError) || error.code !== 'cc_rejected') return false
  return error.details.some((d) => /daily|per.?day|each day/i.test(`${d.key ?? ''} ${d.message ?? ''}`))
}
