/**
 * What a copy of a campaign is made of: its name ("<name> – <date>", unique, at most 80 characters)
 * and the POST /emails body built from the original's primary email (subject, preheader, sender,
 * reply-to, footer address and HTML). Pure functions; ./copy.ts makes the copy, journaled.
 */
import type { EmailCampaignActivity, NewEmailCampaign } from '../constant-contact/types'
import type { CampaignDetails } from '../../../shared/send/schemas'

/** Campaign names: unique per account, at most 80 characters (EmailCampaignComplete.name). */
const CAMPAIGN_NAME_MAX = 80
/** html_content of a new email (EmailCampaignActivityInput.html_content). */
const COPY_HTML_MAX = 150_000
/** What a custom-code email must hold for Constant Contact to report on it. */
const TRACKING_IMAGE = '[[trackingImage]]'
const FROM_NAME_MAX = 100
const PREHEADER_MAX = 200

/** Why Splitsend can't make the copy itself (the person then copies it in Constant Contact); undefined when it can. */
export function copyProblem(details: Pick<CampaignDetails, 'html'>): string | undefined {
  if (!details.html.trim())
    return 'Constant Contact doesn’t hand out the content of this kind of email, so Splitsend can’t copy it.'
  if (withTrackingImage(details.html).length > COPY_HTML_MAX)
    return `The email’s HTML is longer than the ${COPY_HTML_MAX.toLocaleString('en-US')} characters a new email may have, so Splitsend can’t copy it.`
  return undefined
}

/** The HTML with Constant Contact's tracking image in its body (added before `</body>` when it is missing). */
function withTrackingImage(html: string): string {
  if (html.includes(TRACKING_IMAGE)) return html
  const end = html.search(/<\/body\s*>/i)
  return end === -1 ? `${html}${TRACKING_IMAGE}` : `${html.slice(0, end)}${TRACKING_IMAGE}${html.slice(end)}`
}

/** A date as the copy's name shows it: YYYY-MM-DD in the computer's own zone. */
export function copyDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * "<name> – <date>", unique among `taken` names (any case), at most 80 characters: the original's
 * name is shortened (with "…") to make room, and " (2)", " (3)" … added when the name is in use.
 */
export function copyName(original: string, date: string, taken: ReadonlySet<string>): string {
  const used = new Set([...taken].map((n) => n.toLowerCase()))
  for (let n = 1; ; n++) {
    const tail = ` – ${date}${n === 1 ? '' : ` (${n})`}`
    const room = CAMPAIGN_NAME_MAX - tail.length
    const base = [...original.trim()]
    const head =
      base.length <= room
        ? base.join('')
        : `${base
            .slice(0, room - 1)
            .join('')
            .trimEnd()}…`
    const name = `${head}${tail}`
    if (!used.has(name.toLowerCase())) return name
  }
}

/** The POST /emails body of a copy: the original's primary email as a custom-code (format 5) email. */
export function copyRequest(name: string, original: EmailCampaignActivity): NewEmailCampaign {
  const footer = original.physical_address_in_footer
  return {
    name,
    email_campaign_activities: [
      {
        format_type: 5,
        from_name: [...original.from_name].slice(0, FROM_NAME_MAX).join(''),
        from_email: original.from_email,
        reply_to_email: original.reply_to_email,
        subject: original.subject,
        ...(original.preheader ? { preheader: [...original.preheader].slice(0, PREHEADER_MAX).join('') } : {}),
        html_content: withTrackingImage(original.html_content ?? ''),
        ...(footer && Object.keys(footer).length ? { physical_address_in_footer: footer } : {}),
      },
    ],
  }
}
