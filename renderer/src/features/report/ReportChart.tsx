import '@mantine/charts/styles.css'
import { BarChart } from '@mantine/charts'
import type { ReportModel } from '../upload/types'
import { formatCount } from '../../common/words'

const SERIES = [
  { name: 'Added', color: 'teal.8' },
  { name: 'Not added', color: 'red.8' },
  { name: 'Not sent', color: 'gray.6' },
]

/**
 * Each group's contacts by outcome, as stacked bars. The chart is a picture of the table beside
 * it, so screen readers get the table and skip the picture.
 */
export function ReportChart({ model }: { model: ReportModel }) {
  const groups = model.groups.filter((g) => !g.skipped)
  if (groups.length === 0) return null
  const data = groups.map((g) => ({
    group: g.groupName,
    Added: g.added,
    'Not added': g.notAdded,
    'Not sent': g.notSent,
  }))
  return (
    <figure style={{ margin: 0 }} aria-label="Chart: contacts of each group by outcome">
      <div aria-hidden="true">
        <BarChart
          h={Math.max(120, groups.length * 70)}
          data={data}
          dataKey="group"
          orientation="vertical"
          type="stacked"
          series={SERIES}
          withLegend
          withTooltip={false}
          yAxisProps={{ width: 180 }}
          xAxisProps={{ allowDecimals: false }}
          valueFormatter={formatCount}
          barChartProps={{ accessibilityLayer: false }}
        />
      </div>
    </figure>
  )
}
