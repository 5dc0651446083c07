import { CautionAlert } from '../../common/components/CautionAlert'
import { describeCut } from '../../../../shared/prepare/words'
import type { Summary } from '../prepare/types'

/** Things worth knowing that did not stop any row (values cut to an import's lengths have their own table). */
export function ReviewWarnings({ summary }: { summary: Summary }) {
  const cuts = new Set(summary.cutValues.map(describeCut))
  const warnings = summary.warnings.filter((w) => !cuts.has(w))
  if (summary.flagValuesTruncated)
    warnings.push('The flag column has very many different values; only the most common are listed.')
  return <CautionAlert title="Worth knowing" items={warnings} />
}
