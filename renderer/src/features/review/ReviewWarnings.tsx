import { CautionAlert } from '../../common/components/CautionAlert'
import { DOCUMENTED_EMAIL_LENGTH } from '../../../../shared/prepare/email'
import { countOf } from '../../common/words'
import type { Summary } from '../prepare/types'

/** Things worth knowing that did not stop any row, such as long addresses. */
export function ReviewWarnings({ summary }: { summary: Summary }) {
  const warnings = [...summary.warnings]
  if (summary.longAddresses > 0) {
    warnings.push(
      `${countOf(summary.longAddresses, 'address', 'addresses')} ${summary.longAddresses === 1 ? 'is' : 'are'} longer than ${DOCUMENTED_EMAIL_LENGTH} characters. Constant Contact accepts addresses up to 80 characters, but its import page documents ${DOCUMENTED_EMAIL_LENGTH}; if the upload refuses ${summary.longAddresses === 1 ? 'it' : 'them'}, shorten or remove ${summary.longAddresses === 1 ? 'it' : 'them'}.`,
    )
  }
  if (summary.flagValuesTruncated)
    warnings.push('The flag column has very many different values; only the most common are listed.')
  return <CautionAlert title="Worth knowing" items={warnings} />
}
